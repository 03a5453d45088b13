package governance

import (
	"cmp"
	"slices"
	"strings"
)

// scopeSet is a sorted set of scopes that answers, in logarithmic time,
// whether any member lies inside a scope or overlaps it. Check builds one
// per party from the activities naming it, instead of scanning every
// activity per question.
//
// Scopes sort bytewise, and the members inside s (s itself, and those
// beginning s+"/") are contiguous in that order: s first, then any
// sibling such as s+"-x" ('-' sorts before '/'), then s+"/…".
type scopeSet []Scope

// newScopeSet sorts scopes (in place) and drops duplicates.
func newScopeSet(scopes []Scope) scopeSet {
	slices.Sort(scopes)
	return slices.Clip(slices.Compact(scopes))
}

// anyInside reports whether some member of the set lies inside s: for
// some member m, s.Covers(m).
func (set scopeSet) anyInside(s Scope) bool {
	if _, found := slices.BinarySearch(set, s); found {
		return true
	}
	i := set.below(s)
	return i < len(set) && s.Covers(set[i])
}

// anyOverlapping reports whether some member of the set overlaps s: lies
// inside it, or covers it.
func (set scopeSet) anyOverlapping(s Scope) bool {
	if len(set) == 0 {
		return false
	}
	if set.anyInside(s) {
		return true
	}
	// The members covering s are its ancestors: s cut at each '/'.
	for i := range len(s) {
		if s[i] == '/' {
			if _, found := slices.BinarySearch(set, s[:i]); found {
				return true
			}
		}
	}
	return false
}

// below returns the index of the first member not less than s+"/", the
// first of the members strictly inside s if there are any, without
// building that string.
func (set scopeSet) below(s Scope) int {
	i, _ := slices.BinarySearchFunc(set, s, compareToChildPrefix)
	return i
}

// compareToChildPrefix compares m with the string s+"/".
func compareToChildPrefix(m, s Scope) int {
	if len(m) <= len(s) {
		// m is shorter than s+"/": equal up to len(m) means m is a
		// prefix of it, and so sorts first.
		if c := strings.Compare(string(m), string(s[:len(m)])); c != 0 {
			return c
		}
		return -1
	}
	if c := strings.Compare(string(m[:len(s)]), string(s)); c != 0 {
		return c
	}
	return cmp.Compare(string(m[len(s):]), "/")
}

// reservedMatter is one reserved matter of one mandate.
type reservedMatter struct {
	scope   Scope
	mandate *link
	index   int // position in mandate.reserved
}

// reservedIndex finds the reserved matters overlapping a scope without
// scanning every mandate. It is sorted by scope, then by the order Check
// reports matters in: mandate, then position.
type reservedIndex []reservedMatter

func newReservedIndex(mandates []*link) reservedIndex {
	var idx reservedIndex
	for _, l := range mandates {
		for i, res := range l.reserved {
			idx = append(idx, reservedMatter{scope: res, mandate: l, index: i})
		}
	}
	slices.SortFunc(idx, compareMatters)
	return idx
}

func compareMatters(a, b reservedMatter) int {
	return cmp.Or(cmp.Compare(a.scope, b.scope), cmp.Compare(a.mandate.seq, b.mandate.seq), cmp.Compare(a.index, b.index))
}

// overlapping appends to dst the reserved matters overlapping s, in
// mandate order and, within a mandate, in the order reserved.
func (idx reservedIndex) overlapping(dst []reservedMatter, s Scope) []reservedMatter {
	if len(idx) == 0 {
		return dst
	}
	start := len(dst)
	equal := func(scope Scope) {
		i, _ := slices.BinarySearchFunc(idx, scope, func(m reservedMatter, t Scope) int { return cmp.Compare(m.scope, t) })
		for ; i < len(idx) && idx[i].scope == scope; i++ {
			dst = append(dst, idx[i])
		}
	}
	// Ancestors of s, s itself, and the matters inside s.
	for i := range len(s) {
		if s[i] == '/' {
			equal(s[:i])
		}
	}
	equal(s)
	i, _ := slices.BinarySearchFunc(idx, s, func(m reservedMatter, t Scope) int { return compareToChildPrefix(m.scope, t) })
	for ; i < len(idx) && s.Covers(idx[i].scope); i++ {
		dst = append(dst, idx[i])
	}
	slices.SortFunc(dst[start:], func(a, b reservedMatter) int {
		return cmp.Or(cmp.Compare(a.mandate.seq, b.mandate.seq), cmp.Compare(a.index, b.index))
	})
	return dst
}
