// Package jsonschema validates JSON documents against the JSON Schemas
// (draft 2020-12) kept in the module's schema folder. It implements only
// the keywords those schemas use: type, properties, required,
// additionalProperties, enum, const, items, pattern, minimum, $ref and
// $defs, and oneOf, with $ref applied beside its sibling keywords as 2020-12
// does. A schema using any other keyword is refused rather than half
// checked, so a schema cannot pass by saying something the validator does
// not read. It is for tests only.
package jsonschema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// annotations are keywords that assert nothing.
var annotations = []string{"$schema", "$id", "$comment", "$defs", "title", "description"}

// assertions are the keywords the validator checks.
var assertions = []string{"type", "properties", "required", "additionalProperties", "enum", "const", "items",
	"pattern", "minimum", "$ref", "oneOf"}

// Set is the schemas of one folder, by file name.
type Set struct {
	docs map[string]any
}

// Load reads every *.schema.json file in dir.
func Load(dir string) (*Set, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.schema.json"))
	if err != nil {
		return nil, err
	}
	s := &Set{docs: map[string]any{}}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		v, err := decode(b)
		if err != nil {
			return nil, fmt.Errorf("jsonschema: %s: %w", f, err)
		}
		s.docs[filepath.Base(f)] = v
	}
	for _, f := range s.Files() {
		if err := s.lint(f, s.docs[f]); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// lint walks every subschema of a loaded file, refusing keywords the
// validator does not check and references that do not resolve, so a
// schema is refused whole at Load rather than where a document reaches it.
func (s *Set) lint(file string, schema any) error {
	m, ok := schema.(map[string]any)
	if !ok {
		if _, isBool := schema.(bool); isBool {
			return nil
		}
		return fmt.Errorf("jsonschema: %s: a schema is an object or a boolean, not %T", file, schema)
	}
	var subs []any
	for k, v := range m {
		switch {
		case k == "properties" || k == "$defs":
			props, ok := v.(map[string]any)
			if !ok {
				return fmt.Errorf("jsonschema: %s: %s is not an object", file, k)
			}
			for _, p := range props {
				subs = append(subs, p)
			}
		case k == "items" || k == "additionalProperties":
			subs = append(subs, v)
		case k == "oneOf":
			branches, ok := v.([]any)
			if !ok {
				return fmt.Errorf("jsonschema: %s: oneOf is not an array", file)
			}
			subs = append(subs, branches...)
		case k == "$ref":
			c := checker{set: s}
			if _, _, err := c.resolve(file, fmt.Sprint(v)); err != nil {
				return err
			}
		case k == "pattern":
			if _, err := regexp.Compile(fmt.Sprint(v)); err != nil {
				return fmt.Errorf("jsonschema: %s: pattern %q: %w", file, v, err)
			}
		case !slices.Contains(annotations, k) && !slices.Contains(assertions, k):
			return fmt.Errorf("jsonschema: %s: unsupported keyword %q", file, k)
		}
	}
	for _, sub := range subs {
		if err := s.lint(file, sub); err != nil {
			return err
		}
	}
	return nil
}

// Files lists the schema files loaded, sorted.
func (s *Set) Files() []string {
	var out []string
	for f := range s.docs {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

// Error lists every violation found in one document.
type Error struct {
	Violations []string
}

// Error joins the violations, each naming where in the document it is.
func (e *Error) Error() string {
	return "jsonschema: " + strings.Join(e.Violations, "; ")
}

// Validate checks doc against the schema in file, returning an *Error
// with every violation, or an error for a schema the validator cannot
// read.
func (s *Set) Validate(file string, doc []byte) error {
	root, ok := s.docs[file]
	if !ok {
		return fmt.Errorf("jsonschema: no schema %s", file)
	}
	v, err := decode(doc)
	if err != nil {
		return fmt.Errorf("jsonschema: document: %w", err)
	}
	c := checker{set: s}
	if err := c.check(file, root, v, "$"); err != nil {
		return err
	}
	if len(c.violations) > 0 {
		return &Error{Violations: c.violations}
	}
	return nil
}

func decode(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, errors.New("more than one JSON value")
	}
	return v, nil
}

type checker struct {
	set        *Set
	violations []string
	depth      int
}

func (c *checker) fail(at, format string, args ...any) {
	c.violations = append(c.violations, at+": "+fmt.Sprintf(format, args...))
}

// check validates v at path against schema, found in file (for resolving
// relative references). It returns an error only for a schema it cannot
// read; violations are collected.
func (c *checker) check(file string, schema any, v any, at string) error {
	c.depth++
	defer func() { c.depth-- }()
	if c.depth > 200 {
		return fmt.Errorf("jsonschema: references nest too deep at %s", at)
	}
	switch s := schema.(type) {
	case bool:
		if !s {
			c.fail(at, "no value allowed")
		}
		return nil
	case map[string]any:
		for k := range s {
			if !slices.Contains(annotations, k) && !slices.Contains(assertions, k) {
				return fmt.Errorf("jsonschema: %s: unsupported keyword %q", file, k)
			}
		}
		return c.object(file, s, v, at)
	}
	return fmt.Errorf("jsonschema: %s: a schema is an object or a boolean, not %T", file, schema)
}

func (c *checker) object(file string, s map[string]any, v any, at string) error {
	if ref, ok := s["$ref"].(string); ok {
		rfile, target, err := c.resolve(file, ref)
		if err != nil {
			return err
		}
		if err := c.check(rfile, target, v, at); err != nil {
			return err
		}
	}
	if t, ok := s["type"]; ok {
		var types []string
		switch t := t.(type) {
		case string:
			types = []string{t}
		case []any:
			for _, x := range t {
				types = append(types, fmt.Sprint(x))
			}
		}
		if !slices.ContainsFunc(types, func(t string) bool { return is(t, v) }) {
			c.fail(at, "%s is not of type %s", kindOf(v), strings.Join(types, " or "))
		}
	}
	if e, ok := s["enum"].([]any); ok && !slices.ContainsFunc(e, func(x any) bool { return equal(x, v) }) {
		c.fail(at, "%s is not one of %v", show(v), e)
	}
	if k, ok := s["const"]; ok && !equal(k, v) {
		c.fail(at, "%s is not %s", show(v), show(k))
	}
	if p, ok := s["pattern"].(string); ok {
		if str, isStr := v.(string); isStr {
			re, err := regexp.Compile(p)
			if err != nil {
				return fmt.Errorf("jsonschema: %s: pattern %q: %w", file, p, err)
			}
			if !re.MatchString(str) {
				c.fail(at, "%q does not match %s", str, p)
			}
		}
	}
	if m, ok := s["minimum"].(json.Number); ok {
		if n, isNum := v.(json.Number); isNum {
			a, _ := new(big.Float).SetString(string(n))
			b, _ := new(big.Float).SetString(string(m))
			if a != nil && b != nil && a.Cmp(b) < 0 {
				c.fail(at, "%s is below the minimum %s", n, m)
			}
		}
	}
	if obj, ok := v.(map[string]any); ok {
		props, _ := s["properties"].(map[string]any)
		if req, ok := s["required"].([]any); ok {
			for _, r := range req {
				if _, has := obj[r.(string)]; !has {
					c.fail(at, "missing required property %q", r)
				}
			}
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if ps, ok := props[k]; ok {
				if err := c.check(file, ps, obj[k], at+"."+k); err != nil {
					return err
				}
				continue
			}
			if ap, ok := s["additionalProperties"]; ok {
				if b, isBool := ap.(bool); isBool && !b {
					c.fail(at, "property %q is not allowed", k)
					continue
				}
				if err := c.check(file, ap, obj[k], at+"."+k); err != nil {
					return err
				}
			}
		}
	}
	if items, ok := s["items"]; ok {
		if arr, isArr := v.([]any); isArr {
			for i, x := range arr {
				if err := c.check(file, items, x, fmt.Sprintf("%s[%d]", at, i)); err != nil {
					return err
				}
			}
		}
	}
	if one, ok := s["oneOf"].([]any); ok {
		var passed []int
		var first []string
		for i, branch := range one {
			sub := checker{set: c.set, depth: c.depth}
			if err := sub.check(file, branch, v, at); err != nil {
				return err
			}
			if len(sub.violations) == 0 {
				passed = append(passed, i)
			} else if first == nil || len(sub.violations) < len(first) {
				first = sub.violations
			}
		}
		switch len(passed) {
		case 0:
			c.fail(at, "matches none of oneOf; nearest: %s", strings.Join(first, "; "))
		case 1:
		default:
			c.fail(at, "matches oneOf branches %v, not exactly one", passed)
		}
	}
	return nil
}

// resolve finds the schema a $ref names: "#/$defs/x" in file, or
// "other.schema.json" and "other.schema.json#/$defs/x" in the set. An
// absolute reference is resolved by its last path element.
func (c *checker) resolve(file, ref string) (string, any, error) {
	doc, frag, _ := strings.Cut(ref, "#")
	if doc != "" {
		file = doc[strings.LastIndexByte(doc, '/')+1:]
	}
	root, ok := c.set.docs[file]
	if !ok {
		return "", nil, fmt.Errorf("jsonschema: $ref %q: no schema %s", ref, file)
	}
	target := root
	if frag != "" {
		for _, part := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
			m, ok := target.(map[string]any)
			if !ok {
				return "", nil, fmt.Errorf("jsonschema: $ref %q does not resolve", ref)
			}
			if target, ok = m[part]; !ok {
				return "", nil, fmt.Errorf("jsonschema: $ref %q does not resolve", ref)
			}
		}
	}
	return file, target, nil
}

func is(t string, v any) bool {
	switch t {
	case "null":
		return v == nil
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "number":
		_, ok := v.(json.Number)
		return ok
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		f, _ := new(big.Float).SetString(string(n))
		return f != nil && f.IsInt()
	}
	return false
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	}
	return fmt.Sprintf("%T", v)
}

// equal compares two decoded JSON values; numbers by value.
func equal(a, b any) bool {
	if x, ok := a.(json.Number); ok {
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		fx, _ := new(big.Float).SetString(string(x))
		fy, _ := new(big.Float).SetString(string(y))
		return fx != nil && fy != nil && fx.Cmp(fy) == 0
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func show(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
