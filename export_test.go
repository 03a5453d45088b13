package coprod

// ParseAmountSlow is ParseAmount without its int64 fast path, for tests
// that hold the two to the same answers.
func ParseAmountSlow(s string, u Unit) (Amount, error) {
	if !u.Valid() {
		return Amount{}, ErrUnknownUnit
	}
	if err := checkAmountSyntax(s); err != nil {
		return Amount{}, err
	}
	return parseDecimal(s, u)
}
