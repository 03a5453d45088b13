package jsonschema_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/coprod/coprod/internal/jsonschema"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testSchema = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://example.org/schema/t.schema.json",
  "type": "object",
  "properties": {
    "id": {"$ref": "shared.schema.json#/$defs/id"},
    "kind": {"enum": ["a", "b"]},
    "v": {"const": 2},
    "n": {"type": "integer", "minimum": 1},
    "tags": {"type": ["array", "null"], "items": {"type": "string"}},
    "meta": {"type": "object", "additionalProperties": {"type": "string"}},
    "either": {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "number", "minimum": 100}]},
    "self": {"$ref": "#/$defs/leaf"}
  },
  "required": ["id", "kind"],
  "additionalProperties": false,
  "$defs": {"leaf": {"type": "object", "properties": {"x": {"type": "boolean"}}, "required": ["x"], "additionalProperties": false}}
}`

const sharedSchema = `{"$defs": {"id": {"type": "string", "pattern": "^[0-9a-f]{4}$"}}}`

func load(t *testing.T, files map[string]string) *jsonschema.Set {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	s, err := jsonschema.Load(dir)
	require.NoError(t, err)
	return s
}

func TestValidate(t *testing.T) {
	s := load(t, map[string]string{"t.schema.json": testSchema, "shared.schema.json": sharedSchema})
	tests := []struct {
		name string
		doc  string
		bad  int // violations expected; 0 for a valid document
	}{
		{"minimal", `{"id":"00af","kind":"a"}`, 0},
		{"everything", `{"id":"00af","kind":"b","v":2,"n":3,"tags":["x"],"meta":{"k":"v"},"either":"s","self":{"x":true}}`, 0},
		{"null where allowed", `{"id":"00af","kind":"a","tags":null}`, 0},
		{"oneOf: an integer is not a string", `{"id":"00af","kind":"a","either":7}`, 0},
		{"refusal: missing required", `{"kind":"a"}`, 1},
		{"refusal: pattern through a $ref to another file", `{"id":"XYZ","kind":"a"}`, 1},
		{"refusal: not in enum", `{"id":"00af","kind":"c"}`, 1},
		{"refusal: const", `{"id":"00af","kind":"a","v":1}`, 1},
		{"refusal: not an integer", `{"id":"00af","kind":"a","n":1.5}`, 1},
		{"refusal: below minimum", `{"id":"00af","kind":"a","n":0}`, 1},
		{"refusal: item type", `{"id":"00af","kind":"a","tags":[1]}`, 1},
		{"refusal: additional property", `{"id":"00af","kind":"a","extra":1}`, 1},
		{"refusal: additionalProperties schema", `{"id":"00af","kind":"a","meta":{"k":1}}`, 1},
		{"refusal: oneOf matches none", `{"id":"00af","kind":"a","either":true}`, 1},
		{"refusal: oneOf matches two", `{"id":"00af","kind":"a","either":150}`, 1},
		{"refusal: local $ref", `{"id":"00af","kind":"a","self":{}}`, 1},
		{"refusal: wrong type at the top", `[]`, 1},
		{"refusal: every violation is reported", `{"kind":"c","extra":1}`, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Validate("t.schema.json", []byte(tt.doc))
			if tt.bad == 0 {
				assert.NoError(t, err)
				return
			}
			var e *jsonschema.Error
			require.ErrorAs(t, err, &e)
			assert.Len(t, e.Violations, tt.bad, "%v", e.Violations)
		})
	}
}

func TestUnreadableSchemas(t *testing.T) {
	tests := []struct{ name, schema string }{
		{"an unsupported keyword is refused, not ignored", `{"type": "object", "maxProperties": 1}`},
		{"an unsupported keyword deep inside", `{"$defs": {"a": {"properties": {"b": {"items": {"format": "uuid"}}}}}}`},
		{"a $ref that does not resolve", `{"$ref": "#/$defs/missing"}`},
		{"a $ref to a file not loaded", `{"$ref": "other.schema.json"}`},
		{"a bad pattern", `{"type": "string", "pattern": "("}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, "t.schema.json"), []byte(tt.schema), 0o644))
			_, err := jsonschema.Load(dir)
			assert.Error(t, err)
		})
	}
}

// The module's own schemas load: every keyword they use is one the
// validator checks, and every reference resolves.
func TestModuleSchemasLoad(t *testing.T) {
	s, err := jsonschema.Load("../../schema")
	require.NoError(t, err)
	assert.Len(t, s.Files(), 10)
}
