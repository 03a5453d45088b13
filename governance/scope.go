package governance

import (
	"strings"

	"github.com/coprod/coprod"
)

// Scope limits on scope paths: coprod's.
const (
	// MaxScopeLen is the longest scope accepted, in bytes.
	MaxScopeLen = coprod.MaxScopeLen
	// MaxScopeSegments is the most segments a scope may have.
	MaxScopeSegments = coprod.MaxScopeSegments
)

// Scope is a hierarchical action path such as "commission/mental-health/iapt";
// see coprod.Scope. It is the root package's type, so that the ledger can
// group money by the same segment-aware paths the register authorises by.
type Scope = coprod.Scope

// ParseScope validates s as a scope. Failures match ErrInvalidScope.
func ParseScope(s string) (Scope, error) {
	v, err := coprod.ParseScope(s)
	if err != nil {
		return "", &contextError{msg: prefix + strings.TrimPrefix(err.Error(), "coprod: "), err: err}
	}
	return v, nil
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
