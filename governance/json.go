package governance

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"

	"github.com/coprod/coprod"
)

// Schema is the schema version written on a register document. Version 2
// added Mandate.ReservedAbove: a version 1 reader would ignore the field
// and authorise what the scheme reserves, so the version was raised to
// make such a reader refuse the document rather than misread it.
const Schema = "coprod.governance/v2"

// SchemaV1 is the earlier schema version, still decoded: a version 1
// document is a version 2 document with no reservations above a
// threshold, and one that carries any is refused with ErrSchema.
const SchemaV1 = "coprod.governance/v1"

type document struct {
	Schema        string         `json:"schema"`
	Parties       []coprod.Party `json:"parties"`
	Mandates      []Mandate      `json:"mandates"`
	Delegations   []Delegation   `json:"delegations"`
	Revocations   []Revocation   `json:"revocations"`
	Reassumptions []Reassumption `json:"reassumptions"`
	Activities    []Activity     `json:"activities"`
	Interests     []Interest     `json:"interests"`
	Recusals      []Recusal      `json:"recusals"`
	// Acting-for records are left out when there are none, so that a
	// register without them writes the document it always has.
	ActingFor  []ActingFor `json:"acting_for,omitempty"`
	ActingEnds []ActingEnd `json:"acting_ends,omitempty"`
	// Bodies and Memberships are absent from documents written before
	// collective bodies were kept; such documents decode as before.
	Bodies      []Body       `json:"bodies,omitempty"`
	Memberships []Membership `json:"memberships,omitempty"`
}

// MarshalJSON encodes the whole register, every record and every activity
// revision in the order recorded, under a schema version. Amounts are
// strings, so nothing is lost.
func (r *Register) MarshalJSON() ([]byte, error) {
	r.mu.RLock()
	doc := document{
		Schema:        Schema,
		Revocations:   slices.Clone(r.revocations),
		Reassumptions: slices.Clone(r.reassumptions),
		Activities:    slices.Clone(r.activityLog),
		Recusals:      slices.Clone(r.recusals),
	}
	for _, id := range r.partyOrder {
		doc.Parties = append(doc.Parties, r.parties[id])
	}
	for _, l := range r.linkOrder {
		if l.mandate != nil {
			doc.Mandates = append(doc.Mandates, *l.mandate)
		} else {
			doc.Delegations = append(doc.Delegations, *l.delegation)
		}
	}
	for _, in := range r.interestOrder {
		doc.Interests = append(doc.Interests, *in)
	}
	for _, a := range r.actingOrder {
		doc.ActingFor = append(doc.ActingFor, a.ActingFor)
	}
	doc.ActingEnds = slices.Clone(r.actingEnds)
	doc.Bodies, doc.Memberships = r.bodies.export()
	r.mu.RUnlock()
	return json.Marshal(doc)
}

// UnmarshalJSON decodes a register document, replaying every record
// through the same validation as the Add… methods, so a document that
// describes an invalid delegation is refused with that delegation's
// *RecordError. Unknown fields are refused anywhere in the document, so a
// misspelt field (a "reserved" list, say) is an error rather than
// silently dropped. On any error r is left unchanged; on success its
// contents are replaced.
func (r *Register) UnmarshalJSON(b []byte) error {
	var doc document
	if err := decodeStrict(b, &doc); err != nil {
		return wrap("decode register", err)
	}
	if doc.Schema != Schema && doc.Schema != SchemaV1 {
		return wrap("decode register", wrapf(ErrSchema, "%.40q, want %q", doc.Schema, Schema))
	}
	if doc.Schema == SchemaV1 {
		for _, m := range doc.Mandates {
			if len(m.ReservedAbove) > 0 {
				return wrap("decode register", wrapf(ErrSchema, "%q has no reservations above a threshold (mandate %s)", SchemaV1, m.ID))
			}
		}
	}
	fresh, err := build(doc)
	if err != nil {
		return wrap("decode register", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.opts.Journal != nil {
		return wrap("decode register", wrapf(ErrInvalidRecord, "a journaled register is rebuilt from its journal, with Replay"))
	}
	r.registerData = fresh.registerData
	return nil
}

// decodeStrict decodes one JSON value into v, refusing unknown fields
// (in every nested record without its own decoder) and anything after the
// value.
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

// build replays a document into a new register. Delegations are replayed
// before revocations: a child is only ever refused for a parent revoked
// before it was made, and revocations carry their own effective time.
func build(doc document) (*Register, error) {
	r := NewRegister()
	// A document groups records by kind, not in the order recorded: the
	// time rule is the journal's to keep.
	r.building = true
	for _, p := range doc.Parties {
		if err := r.AddParty(p); err != nil {
			return nil, err
		}
	}
	if err := r.replayBodies(doc.Bodies, doc.Memberships); err != nil {
		return nil, err
	}
	for _, m := range doc.Mandates {
		if err := r.AddMandate(m); err != nil {
			return nil, err
		}
	}
	for _, d := range doc.Delegations {
		if err := r.Delegate(d); err != nil {
			return nil, err
		}
	}
	for _, rv := range doc.Revocations {
		if err := r.Revoke(rv); err != nil {
			return nil, err
		}
	}
	for _, ra := range doc.Reassumptions {
		if err := r.Reassume(ra); err != nil {
			return nil, err
		}
	}
	for _, a := range doc.Activities {
		put := r.AddActivity
		if _, ok := r.activities[a.ID]; ok {
			put = r.ReviseActivity
		}
		if err := put(a); err != nil {
			return nil, err
		}
	}
	for _, in := range doc.Interests {
		if err := r.Declare(in); err != nil {
			return nil, err
		}
	}
	for _, rec := range doc.Recusals {
		if err := r.Recuse(rec); err != nil {
			return nil, err
		}
	}
	for _, a := range doc.ActingFor {
		if err := r.ActFor(a); err != nil {
			return nil, err
		}
	}
	for _, e := range doc.ActingEnds {
		if err := r.EndActing(e); err != nil {
			return nil, err
		}
	}
	return r, nil
}
