package coprod

import (
	"fmt"
	"strings"
)

// Scope limits on scope paths.
const (
	// MaxScopeLen is the longest scope accepted, in bytes.
	MaxScopeLen = 256
	// MaxScopeSegments is the most segments a scope may have.
	MaxScopeSegments = 16
	// MaxScopeSegmentLen is the longest segment accepted, in bytes.
	MaxScopeSegmentLen = 64
)

// Scope is a hierarchical action path such as "commission/mental-health/iapt":
// what a mandate or delegation covers, and what a ledger record was done
// for. Segments are 1 to MaxScopeSegmentLen characters of lowercase
// letters, digits and '-', separated by '/'. Matching is segment-aware:
// "commission/mental-health/iapt" lies inside "commission/mental-health",
// but "commission/mental" does not cover "commission/mental-health".
//
// It lives in this package because the governance register authorises by
// scope and the ledger groups money by it, and neither imports the other.
// Its JSON form is the plain path string.
//
// The zero Scope is empty and covers nothing; construct scopes with
// ParseScope or MustParseScope. Scopes are comparable with ==.
type Scope string

// ParseScope validates s as a scope. Failures match ErrInvalidScope.
func ParseScope(s string) (Scope, error) {
	bad := func(format string, args ...any) error {
		return &contextError{msg: prefix + "invalid scope: " + fmt.Sprintf(format, args...), errs: []error{ErrInvalidScope}}
	}
	if s == "" {
		return "", bad("parse scope: empty")
	}
	if len(s) > MaxScopeLen {
		return "", bad("parse scope: longer than %d bytes", MaxScopeLen)
	}
	segments := 1
	segLen := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '/':
			if segLen == 0 {
				return "", bad("parse scope %q: empty segment", s)
			}
			segments++
			segLen = 0
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-':
			segLen++
			if segLen > MaxScopeSegmentLen {
				return "", bad("parse scope %q: segment longer than %d", s, MaxScopeSegmentLen)
			}
		default:
			return "", bad("parse scope %q: character %q at %d", s, c, i)
		}
	}
	if segLen == 0 {
		return "", bad("parse scope %q: empty segment", s)
	}
	if segments > MaxScopeSegments {
		return "", bad("parse scope %q: more than %d segments", s, MaxScopeSegments)
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

// Valid reports whether s is a well-formed scope: what ParseScope
// accepts, checked without building an error (Authorize checks every
// request's scope).
func (s Scope) Valid() bool {
	if s == "" || len(s) > MaxScopeLen {
		return false
	}
	segments, start := 1, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c-'a' <= 'z'-'a' || c-'0' <= 9 || c == '-' {
			continue
		}
		if c != '/' || i == start || i-start > MaxScopeSegmentLen {
			return false
		}
		segments++
		start = i + 1
	}
	return len(s) > start && len(s)-start <= MaxScopeSegmentLen && segments <= MaxScopeSegments
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

// Parent returns the scope one segment up, and false for a scope of one
// segment or the zero Scope. It does not allocate.
func (s Scope) Parent() (Scope, bool) {
	i := strings.LastIndexByte(string(s), '/')
	if i < 0 {
		return "", false
	}
	return s[:i], true
}

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
