// Package plain reads plain decimal amounts ("1250.00", "-3.5") straight
// into minor units, without a decimal: the fast path of coprod.ParseAmount
// and of the ledger journal's decoder, which reads bytes. It declines
// whatever it does not read exactly, for the caller's general path.
package plain

// Minor reads s, if it is an optional '-', one or more digits and
// optionally a point and one or more digits, sixteen digits in all and no
// more after the point than scale, as minor units at scale. Below 10^16
// at a scale of at most 2, the value is below 10^18 minor units.
func Minor[T ~string | ~[]byte](s T, scale int) (int64, bool) {
	if scale > 2 {
		return 0, false
	}
	i, neg := 0, false
	if len(s) > 0 && s[0] == '-' {
		i, neg = 1, true
	}
	var v int64
	digits, frac := 0, -1 // frac counts the digits after the point, once one is seen
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.' && frac < 0 && digits > 0:
			frac = 0
			continue
		case c < '0' || c > '9':
			return 0, false
		}
		if digits++; digits > 16 {
			return 0, false
		}
		if frac >= 0 {
			frac++
		}
		v = v*10 + int64(c-'0')
	}
	if digits == 0 || frac == 0 || frac > scale {
		return 0, false
	}
	for f := max(frac, 0); f < scale; f++ {
		v *= 10
	}
	if neg {
		v = -v
	}
	return v, true
}
