package governance

import (
	"strings"
)

// Scope limits on scope paths.
const (
	// MaxScopeLen is the longest scope accepted, in bytes.
	MaxScopeLen = 256
	// MaxScopeSegments is the most segments a scope may have.
	MaxScopeSegments = 16
)

// Scope is a hierarchical action path such as "commission/mental-health/iapt".
// Segments are 1 to 64 characters of lowercase letters, digits and '-',
// separated by '/'. Matching is segment-aware: "commission/mental-health/iapt"
// lies inside "commission/mental-health", but "commission/mental" does not
// cover "commission/mental-health".
//
// The zero Scope is empty and covers nothing; construct scopes with
// ParseScope or MustParseScope. Scopes are comparable with ==.
type Scope string

// ParseScope validates s as a scope.
func ParseScope(s string) (Scope, error) {
	if s == "" {
		return "", wrapf(ErrInvalidScope, "parse scope: empty")
	}
	if len(s) > MaxScopeLen {
		return "", wrapf(ErrInvalidScope, "parse scope: longer than %d bytes", MaxScopeLen)
	}
	segments := 1
	segLen := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '/':
			if segLen == 0 {
				return "", wrapf(ErrInvalidScope, "parse scope %q: empty segment", s)
			}
			segments++
			segLen = 0
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-':
			segLen++
			if segLen > 64 {
				return "", wrapf(ErrInvalidScope, "parse scope %q: segment longer than 64", s)
			}
		default:
			return "", wrapf(ErrInvalidScope, "parse scope %q: character %q at %d", s, c, i)
		}
	}
	if segLen == 0 {
		return "", wrapf(ErrInvalidScope, "parse scope %q: empty segment", s)
	}
	if segments > MaxScopeSegments {
		return "", wrapf(ErrInvalidScope, "parse scope %q: more than %d segments", s, MaxScopeSegments)
	}
	return Scope(s), nil
}

// MustParseScope is like ParseScope but panics on error. It is intended for
// use in tests, examples and constant declarations.
func MustParseScope(s string) Scope {
	v, err := ParseScope(s)
	if err != nil {
		panic(err)
	}
	return v
}

// Valid reports whether s is a well-formed scope.
func (s Scope) Valid() bool {
	_, err := ParseScope(string(s))
	return err == nil
}

// Covers reports whether o equals s or lies inside it, segment by segment.
// It does not allocate.
func (s Scope) Covers(o Scope) bool {
	if s == "" || len(o) < len(s) || o[:len(s)] != s {
		return false
	}
	return len(o) == len(s) || o[len(s)] == '/'
}

// Overlaps reports whether one of s and o covers the other.
func (s Scope) Overlaps(o Scope) bool { return s.Covers(o) || o.Covers(s) }

// Segments returns the scope's segments.
func (s Scope) Segments() []string {
	if s == "" {
		return nil
	}
	return strings.Split(string(s), "/")
}

// String returns the scope path.
func (s Scope) String() string { return string(s) }

// UnmarshalText decodes and validates a scope.
func (s *Scope) UnmarshalText(b []byte) error {
	v, err := ParseScope(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}
