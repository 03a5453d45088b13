package coprod_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/coprod/coprod"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseScope(t *testing.T) {
	tests := []struct {
		name, in string
		parent   string
		bad      bool
	}{
		{name: "one segment", in: "commission"},
		{name: "three segments", in: "commission/mental-health/iapt", parent: "commission/mental-health"},
		{name: "digits", in: "ward-7/y2025", parent: "ward-7"},
		{name: "empty", in: "", bad: true},
		{name: "upper case", in: "Commission", bad: true},
		{name: "empty segment", in: "a//b", bad: true},
		{name: "trailing slash", in: "a/", bad: true},
		{name: "leading slash", in: "/a", bad: true},
		{name: "space", in: "mental health", bad: true},
		{name: "bad UTF-8", in: "a/\xff", bad: true},
		{name: "long segment", in: strings.Repeat("a", coprod.MaxScopeSegmentLen+1), bad: true},
		{name: "too many segments", in: strings.Repeat("a/", coprod.MaxScopeSegments) + "a", bad: true},
		{name: "too long", in: strings.Repeat("abcdefg/", coprod.MaxScopeLen/8) + "a", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := coprod.ParseScope(tt.in)
			if tt.bad {
				assert.ErrorIs(t, err, coprod.ErrInvalidScope)
				assert.Equal(t, coprod.Code("INVALID_SCOPE"), coprod.CodeOf(err))
				assert.Equal(t, 1, strings.Count(err.Error(), "coprod: "), err.Error())
				var v struct{ S coprod.Scope }
				assert.ErrorIs(t, json.Unmarshal([]byte(`{"S":`+quote(tt.in)+`}`), &v), coprod.ErrInvalidScope)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.in, s.String())
			p, ok := s.Parent()
			assert.Equal(t, tt.parent != "", ok)
			assert.Equal(t, coprod.Scope(tt.parent), p)
			if ok {
				assert.True(t, p.Covers(s))
			}
			b, err := json.Marshal(s)
			require.NoError(t, err)
			assert.Equal(t, quote(tt.in), string(b), "a scope's JSON is the plain path")
			var back coprod.Scope
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, s, back)
		})
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestScopeCovers(t *testing.T) {
	mh := coprod.MustParseScope("commission/mental-health")
	assert.True(t, mh.Covers("commission/mental-health/iapt"))
	assert.True(t, mh.Covers(mh))
	assert.False(t, coprod.Scope("commission/mental").Covers(mh), "segment-aware")
	assert.False(t, mh.Covers("commission"))
	assert.True(t, mh.Overlaps("commission"))
	assert.False(t, coprod.Scope("").Covers(mh), "the zero scope covers nothing")
	_, ok := coprod.Scope("").Parent()
	assert.False(t, ok)
	assert.Panics(t, func() { coprod.MustParseScope("A") })
}
