package coprod

import (
	"fmt"
	"time"
)

// Window is the half-open interval of time [NotBefore, Expires). A zero
// NotBefore is open towards the past and a zero Expires is open towards the
// future, so the zero Window is "always".
type Window struct {
	NotBefore time.Time `json:"not_before,omitzero"`
	Expires   time.Time `json:"expires,omitzero"`
}

// Validate reports an error if both bounds are set and Expires is not after
// NotBefore.
func (w Window) Validate() error {
	if !w.NotBefore.IsZero() && !w.Expires.IsZero() && !w.Expires.After(w.NotBefore) {
		return fmt.Errorf("%w: expires %s is not after not-before %s", ErrInvalidWindow,
			w.Expires.Format(time.RFC3339), w.NotBefore.Format(time.RFC3339))
	}
	return nil
}

// Contains reports whether t lies in the window.
func (w Window) Contains(t time.Time) bool {
	if !w.NotBefore.IsZero() && t.Before(w.NotBefore) {
		return false
	}
	if !w.Expires.IsZero() && !t.Before(w.Expires) {
		return false
	}
	return true
}

// Covers reports whether every instant of o lies in w.
func (w Window) Covers(o Window) bool {
	if !w.NotBefore.IsZero() && (o.NotBefore.IsZero() || o.NotBefore.Before(w.NotBefore)) {
		return false
	}
	if !w.Expires.IsZero() && (o.Expires.IsZero() || o.Expires.After(w.Expires)) {
		return false
	}
	return true
}

// Intersect returns the instants in both w and o, and false if there are
// none.
func (w Window) Intersect(o Window) (Window, bool) {
	r := w
	if r.NotBefore.IsZero() || (!o.NotBefore.IsZero() && o.NotBefore.After(r.NotBefore)) {
		r.NotBefore = o.NotBefore
	}
	if r.Expires.IsZero() || (!o.Expires.IsZero() && o.Expires.Before(r.Expires)) {
		r.Expires = o.Expires
	}
	if !r.NotBefore.IsZero() && !r.Expires.IsZero() && !r.Expires.After(r.NotBefore) {
		return Window{}, false
	}
	return r, true
}

// Expired reports whether the window has ended by t.
func (w Window) Expired(t time.Time) bool {
	return !w.Expires.IsZero() && !t.Before(w.Expires)
}

// String formats the window as "[not-before, expires)" in RFC 3339, with
// "-∞" and "+∞" for open bounds.
func (w Window) String() string {
	from, to := "-∞", "+∞"
	if !w.NotBefore.IsZero() {
		from = w.NotBefore.UTC().Format(time.RFC3339)
	}
	if !w.Expires.IsZero() {
		to = w.Expires.UTC().Format(time.RFC3339)
	}
	return "[" + from + ", " + to + ")"
}

// UnmarshalJSON decodes a window and validates it. It refuses unknown
// fields, so a misspelt bound is an error rather than an open side.
func (w *Window) UnmarshalJSON(b []byte) error {
	type plain Window
	var v plain
	if err := decodeStrict(b, &v); err != nil {
		return wrap("decode window", err)
	}
	if err := Window(v).Validate(); err != nil {
		return wrap("decode window", err)
	}
	*w = Window(v)
	return nil
}
