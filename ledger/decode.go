package ledger

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// decodeStrict decodes one JSON value into v, refusing unknown fields and
// anything after the value, so a misspelt field is an error rather than
// silently dropped.
func decodeStrict(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return errors.New("data after the JSON value")
	}
	return nil
}

// UnmarshalJSON decodes a transaction and runs the same shape checks as
// Post: a decoded transaction is well formed (the ledger's own state is
// checked when it is posted). Unknown fields are refused.
func (t *Transaction) UnmarshalJSON(b []byte) error {
	type plain Transaction
	var v plain
	if err := decodeStrict(b, &v); err != nil {
		return wrap("decode transaction", err)
	}
	tx := Transaction(v)
	if err := checkShape(&tx); err != nil {
		return err
	}
	*t = tx
	return nil
}

// UnmarshalJSON decodes an account and validates it as Open does.
// Unknown fields are refused.
func (a *Account) UnmarshalJSON(b []byte) error {
	type plain Account
	var v plain
	if err := decodeStrict(b, &v); err != nil {
		return wrap("decode account", err)
	}
	if err := Account(v).validate(); err != nil {
		return refuseCause("account", v.ID, ErrInvalidAccount, err)
	}
	*a = Account(v)
	return nil
}

// UnmarshalJSON decodes a hold and validates it as PlaceHold does.
// Unknown fields are refused.
func (h *Hold) UnmarshalJSON(b []byte) error {
	type plain Hold
	var v plain
	if err := decodeStrict(b, &v); err != nil {
		return wrap("decode hold", err)
	}
	hold := Hold(v)
	if err := hold.validate(); err != nil {
		return refuseCause("hold", v.ID, ErrInvalidTransaction, err)
	}
	*h = hold
	return nil
}
