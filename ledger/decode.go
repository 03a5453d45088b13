package ledger

import (
	"encoding/json"
	"fmt"
)

// UnmarshalJSON decodes a transaction and runs the same shape checks as
// Post: a decoded transaction is well formed (the ledger's own state is
// checked when it is posted).
func (t *Transaction) UnmarshalJSON(b []byte) error {
	type plain Transaction
	var v plain
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("ledger: decode transaction: %w", err)
	}
	tx := Transaction(v)
	if err := checkShape(&tx); err != nil {
		return err
	}
	*t = tx
	return nil
}

// UnmarshalJSON decodes an account and validates it as Open does.
func (a *Account) UnmarshalJSON(b []byte) error {
	type plain Account
	var v plain
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("ledger: decode account: %w", err)
	}
	if err := Account(v).validate(); err != nil {
		return refuse("account", v.ID, ErrInvalidAccount, "%v", err)
	}
	*a = Account(v)
	return nil
}

// UnmarshalJSON decodes a hold and validates it as PlaceHold does.
func (h *Hold) UnmarshalJSON(b []byte) error {
	type plain Hold
	var v plain
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("ledger: decode hold: %w", err)
	}
	hold := Hold(v)
	if err := hold.validate(); err != nil {
		return refuse("hold", v.ID, ErrInvalidTransaction, "%v", err)
	}
	*h = hold
	return nil
}
