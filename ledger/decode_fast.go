package ledger

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"time"
	"unicode/utf8"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/internal/hexword"
	"github.com/coprod/coprod/internal/journal"
	"github.com/coprod/coprod/internal/plain"
	"github.com/google/uuid"
)

// Replay decodes a transaction per journal line, so decoding is on its hot
// path. decodeTransactionFast reads the form appendTransaction writes,
// field by field (approvals, a labour record, metadata and a proof with
// its links and acting-for records included), and reports false at the
// first thing it does not expect (an escape, invalid UTF-8, another field
// order, a form the encoder never writes, such as an empty object),
// leaving the input to encoding/json. Whatever it does accept it decodes
// exactly as encoding/json would, down to nil and empty slices and the
// locations of times: a fuzz target holds the two together.
func decodeTransactionFast(b []byte) (Transaction, bool) {
	return decodeTransactionFastWith(b, nil)
}

// decodeTransactionFastWith is decodeTransactionFast reusing what r
// holds, if not nil (see decodeInto).
func decodeTransactionFastWith(b []byte, r *decodeReuse) (Transaction, bool) {
	var t Transaction
	ok := decodeInto(&t, b, r)
	return t, ok
}

// decodeInto is decodeTransactionFastWith decoding into t, which is zero:
// the postings go into r.posts, if r is not nil, and a scope r knows is
// shared, not allocated again.
func decodeInto(t *Transaction, b []byte, r *decodeReuse) bool {
	d := fastDecoder{b: b, reuse: r}
	ok := d.lit(`{"id":`) && d.uuid(&t.ID) &&
		d.lit(`,"kind":`) && d.kind(&t.Kind) &&
		d.lit(`,"postings":[`) && d.postings(&t.Postings) &&
		d.lit(`,"effective":`) && d.time(&t.Effective) &&
		d.lit(`,"recorded":`) && d.time(&t.Recorded) &&
		d.lit(`,"formality":{`) &&
		d.optUUID(`"instrument":`, `,`, &t.Formality.Instrument) &&
		d.optScope(`"scope":`, `,`, &t.Formality.Scope) &&
		d.lit(`"decided_by":`) && d.uuid(&t.Formality.DecidedBy) &&
		d.approvals(&t.Formality.Approvers) && d.lit(`}`) &&
		d.optCoverage(`,"coverage":`, &t.Coverage) &&
		d.optUUID(`,"against":`, ``, &t.Against) &&
		d.optUUID(`,"reverses":`, ``, &t.Reverses) &&
		d.labour(&t.Labour) &&
		d.optStr(`,"memo":`, ``, &t.Memo) &&
		d.metadata(&t.Metadata) &&
		d.proof(&t.Proof, t.Formality.Scope) &&
		d.lit(`}`) && len(d.b) == 0
	return ok
}

type fastDecoder struct {
	b     []byte
	reuse *decodeReuse // nil, or what a replay reuses from line to line
}

// decodeReuse is what a replay's decoder reuses from one line to the
// next.
type decodeReuse struct {
	// posts is where the next record's postings go: the replay sets it
	// to the two places of the entry the record will be kept in, so that
	// a two-posting transaction is decoded where it is kept. More grow
	// into a slice of their own. The decoder never keeps it.
	posts []Posting
	// proofRef is the line the last record named for its proof
	// ("proof_ref"), or 0.
	proofRef int
	// scope is the last scope read, shared with the next record that
	// has it rather than allocated again.
	scope coprod.Scope
}

// lit consumes s. It is inlined, so s is a constant at every call.
func (d *fastDecoder) lit(s string) bool {
	if len(d.b) < len(s) || string(d.b[:len(s)]) != s {
		return false
	}
	d.b = d.b[len(s):]
	return true
}

// raw returns the contents of a JSON string with no escapes and no control
// characters that is valid UTF-8: exactly the bytes encoding/json would
// decode it to (it replaces invalid UTF-8, so that is declined).
func (d *fastDecoder) raw() ([]byte, bool) {
	if len(d.b) == 0 || d.b[0] != '"' {
		return nil, false
	}
	i := 1
	for i < len(d.b) && plainASCII[d.b[i]] {
		i++
	}
	if i < len(d.b) && d.b[i] == '"' {
		s := d.b[1:i]
		d.b = d.b[i+1:]
		return s, true
	}
	for ; i < len(d.b); i++ {
		switch c := d.b[i]; {
		case c == '"':
			s := d.b[1:i]
			if !utf8.Valid(s) {
				return nil, false
			}
			d.b = d.b[i+1:]
			return s, true
		case c < 0x20 || c == '\\':
			return nil, false
		}
	}
	return nil, false
}

// plainASCII marks the ASCII bytes that stand for themselves in a JSON
// string: not a control character, a quote or a backslash.
var plainASCII = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func (d *fastDecoder) str(dst *string) bool {
	s, ok := d.raw()
	if ok {
		*dst = string(s)
	}
	return ok
}

// kind reads a transaction kind, without allocating for a defined one.
func (d *fastDecoder) kind(dst *Kind) bool { return known(d, dst, kinds[:]) }

// kinds are the defined kinds, which kind reads without allocating.
var kinds = [...]Kind{Payment, Grant, Contract, SLA, CoreFunding, ProjectFunding, InKind, UnpaidLabour, TimeCredit, InvolvementPayment, Reversal}

// coverages are the defined coverages but the empty one, which
// optCoverage reads without allocating.
var coverages = [...]Coverage{FullCost, DirectCosts, Unfunded}

// optCoverage reads key and a coverage, if the record has key.
func (d *fastDecoder) optCoverage(key string, dst *Coverage) bool {
	return !d.lit(key) || known(d, dst, coverages[:])
}

// known reads a string, as the defined value of defined that reads the
// same if there is one (without allocating), or as a copy of its bytes
// (undefined: validation refuses it, as after encoding/json).
func known[T ~string](d *fastDecoder, dst *T, defined []T) bool {
	s, ok := d.raw()
	if !ok {
		return false
	}
	for _, k := range defined {
		if string(k) == string(s) {
			*dst = k
			return true
		}
	}
	*dst = T(s)
	return true
}

// boolean reads a JSON true or false.
func (d *fastDecoder) boolean(dst *bool) bool {
	switch {
	case d.lit(`true`):
		*dst = true
	case d.lit(`false`):
		*dst = false
	default:
		return false
	}
	return true
}

// uuid reads a UUID as uuid.UUID.UnmarshalText does. The form the
// encoder writes, 36 characters with no escapes, is read here; others go
// to uuid.ParseBytes.
func (d *fastDecoder) uuid(dst *uuid.UUID) bool {
	if len(d.b) >= 38 && d.b[0] == '"' && d.b[37] == '"' {
		s := d.b[1:37]
		if s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
			return false
		}
		le := binary.LittleEndian
		a, okA := hexword.Decode(le.Uint64(s[0:8]))
		b, okB := hexword.Decode(uint64(le.Uint32(s[9:13])) | uint64(le.Uint32(s[14:18]))<<32)
		c, okC := hexword.Decode(uint64(le.Uint32(s[19:23])) | uint64(le.Uint32(s[24:28]))<<32)
		e, okE := hexword.Decode(le.Uint64(s[28:36]))
		if !(okA && okB && okC && okE) {
			return false // not hex: uuid.ParseBytes refuses it too
		}
		le.PutUint32(dst[0:4], a)
		le.PutUint32(dst[4:8], b)
		le.PutUint32(dst[8:12], c)
		le.PutUint32(dst[12:16], e)
		d.b = d.b[38:]
		return true
	}
	s, ok := d.raw()
	if !ok {
		return false
	}
	u, err := uuid.ParseBytes(s) // what uuid.UUID.UnmarshalText does
	*dst = u
	return err == nil
}

func (d *fastDecoder) optUUID(key, sep string, dst *uuid.UUID) bool {
	if !d.lit(key) {
		return true
	}
	return d.uuid(dst) && d.lit(sep)
}

func (d *fastDecoder) optStr(key, sep string, dst *string) bool {
	if !d.lit(key) {
		return true
	}
	return d.str(dst) && d.lit(sep)
}

// scope reads a scope as encoding/json would through its UnmarshalText:
// it must be a valid (so non-empty) scope. With reuse, a scope that reads
// as the last one read shares its string.
func (d *fastDecoder) scope(dst *coprod.Scope) bool {
	s, ok := d.raw()
	if !ok {
		return false
	}
	r := d.reuse
	if r != nil && r.scope != "" && string(r.scope) == string(s) {
		// The scope the last record read: valid then, and shared.
		*dst = r.scope
		return true
	}
	if !coprod.Scope(s).Valid() {
		return false
	}
	*dst = coprod.Scope(s)
	if r != nil {
		r.scope = *dst
	}
	return true
}

// scopeIn is scope, sharing the bytes of within when the scope read is a
// prefix of it.
func (d *fastDecoder) scopeIn(dst *coprod.Scope, within coprod.Scope) bool {
	s, ok := d.raw()
	if !ok || !coprod.Scope(s).Valid() {
		return false
	}
	if len(s) <= len(within) && string(within[:len(s)]) == string(s) {
		*dst = within[:len(s)]
	} else {
		*dst = coprod.Scope(s)
	}
	return true
}

func (d *fastDecoder) optScope(key, sep string, dst *coprod.Scope) bool {
	if !d.lit(key) {
		return true
	}
	return d.scope(dst) && d.lit(sep)
}

// time reads a time as encoding/json does, through
// time.Time.UnmarshalJSON. That parses the quoted bytes as they stand, so
// the string is taken up to its first quote: one with an escape or a
// character outside RFC 3339 fails to parse, and is declined.
func (d *fastDecoder) time(dst *time.Time) bool {
	if len(d.b) == 0 || d.b[0] != '"' {
		return false
	}
	n := bytes.IndexByte(d.b[1:], '"') + 2
	if n < 2 {
		return false
	}
	if t, ok := utcTime(d.b[1 : n-1]); ok {
		*dst = t
	} else if dst.UnmarshalJSON(d.b[:n]) != nil {
		return false
	}
	d.b = d.b[n:]
	return true
}

// utcTime reads the form the journal writes most (time.RFC3339Nano in
// UTC: 2006-01-02T15:04:05.999999999Z) without the general parser, and
// reports false for any other form, or a field out of range, leaving it
// to time.Time.UnmarshalJSON. What it reads it reads as that does, to
// the same value: FuzzUTCTime holds the two together.
func utcTime(b []byte) (time.Time, bool) {
	// 2006-01-02T15:04:05Z is 20 bytes; a fraction adds a point and 1 to
	// 9 digits.
	if len(b) < 20 || len(b) > 30 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' || b[len(b)-1] != 'Z' {
		return time.Time{}, false
	}
	num := func(s []byte) (int, bool) {
		n := 0
		for _, c := range s {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	year, ok1 := num(b[0:4])
	month, ok2 := num(b[5:7])
	day, ok3 := num(b[8:10])
	hour, ok4 := num(b[11:13])
	minute, ok5 := num(b[14:16])
	sec, ok6 := num(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 ||
		day > daysIn(month, year) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	nsec := 0
	switch frac := b[19 : len(b)-1]; {
	case len(frac) == 0:
	case len(frac) >= 2 && frac[0] == '.':
		f, ok := num(frac[1:])
		if !ok {
			return time.Time{}, false
		}
		for range 10 - len(frac) {
			f *= 10
		}
		nsec = f
	default:
		return time.Time{}, false
	}
	unix := daysSinceEpoch(year, month, day)*86400 + int64(hour*3600+minute*60+sec)
	return time.Unix(unix, int64(nsec)).UTC(), true
}

// daysSinceEpoch returns the days from 1970-01-01 to the date in the
// proleptic Gregorian calendar (H. Hinnant's days_from_civil).
func daysSinceEpoch(year, month, day int) int64 {
	y := int64(year)
	if month <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	m := int64(month)
	if m > 2 {
		m -= 3
	} else {
		m += 9
	}
	doy := (153*m+2)/5 + int64(day) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// daysIn returns the number of days in month of year.
func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// amount reads null (the zero Amount) or {"value":"…","unit":"…"}, as
// coprod.Amount.UnmarshalJSON does.
func (d *fastDecoder) amount(dst *coprod.Amount) bool {
	if d.lit(`null`) {
		*dst = coprod.Amount{}
		return true
	}
	if !d.lit(`{"value":`) {
		return false
	}
	value, ok := d.raw()
	if !ok || !d.lit(`,"unit":`) {
		return false
	}
	unit, ok := d.raw()
	if !ok || !d.lit(`}`) {
		return false
	}
	a, ok := parseAmount(value, unit)
	*dst = a
	return ok
}

// parseAmount is coprod.ParseAmount on bytes. The plain decimals journals
// hold ("-1250.00", "4") of at most sixteen digits and no more fraction
// digits than the unit's scale are read straight into minor units, which
// is what ParseAmount's own fast path does for them; anything else goes
// to ParseAmount. Its unit is one of the defined units' constants, so
// that neither allocates.
func parseAmount(value, unit []byte) (coprod.Amount, bool) {
	var u coprod.Unit
	switch string(unit) {
	case string(coprod.GBP):
		u = coprod.GBP
	case string(coprod.Hours):
		u = coprod.Hours
	case string(coprod.Credits):
		u = coprod.Credits
	default:
		return coprod.Amount{}, false // ParseAmount refuses an undefined unit
	}
	if v, ok := plain.Minor(value, int(u.Scale())); ok {
		a, err := coprod.FromMinor(v, u)
		return a, err == nil
	}
	a, err := coprod.ParseAmount(string(value), u)
	return a, err == nil
}

func (d *fastDecoder) postings(dst *[]Posting) bool {
	if d.reuse != nil {
		*dst = d.reuse.posts[:0]
	} else {
		*dst = make([]Posting, 0, 2) // most transactions have two
	}
	for {
		var p Posting
		if !d.lit(`{"account":`) || !d.uuid(&p.Account) || !d.lit(`,"amount":{"value":`) {
			return false
		}
		value, ok := d.raw()
		if !ok || !d.lit(`,"unit":`) {
			return false
		}
		unit, ok := d.raw()
		if !ok || !d.lit(`}}`) {
			return false
		}
		if p.Amount, ok = parseAmount(value, unit); !ok {
			return false
		}
		*dst = append(*dst, p)
		if d.lit(`]`) {
			return true
		}
		if !d.lit(`,`) {
			return false
		}
	}
}

// approvals reads the formality's approvals, if any: a non-empty list, as
// the encoder writes them.
func (d *fastDecoder) approvals(dst *[]Approval) bool {
	if !d.lit(`,"approvers":[`) {
		return true
	}
	for {
		var a Approval
		if !d.lit(`{"party":`) || !d.uuid(&a.Party) || !d.lit(`,"at":`) || !d.time(&a.At) ||
			!d.optStr(`,"ref":`, ``, &a.Ref) || !d.lit(`}`) {
			return false
		}
		*dst = append(*dst, a)
		if d.lit(`]`) {
			return true
		}
		if !d.lit(`,`) {
			return false
		}
	}
}

// labour reads the labour record, if any, as encoding/json writes it.
func (d *fastDecoder) labour(dst **Labour) bool {
	if !d.lit(`,"labour":{"hours":`) {
		return true
	}
	l := new(Labour)
	*dst = l
	return d.amount(&l.Hours) &&
		d.lit(`,"method":`) && d.valuation(&l.Method) &&
		d.lit(`,"rate":`) && d.amount(&l.Rate) &&
		d.lit(`,"low":`) && d.amount(&l.Low) &&
		d.lit(`,"high":`) && d.amount(&l.High) &&
		d.optStr(`,"wage_source":`, ``, &l.WageSource) &&
		d.lit(`,"recognised":`) && d.boolean(&l.Recognised) &&
		d.lit(`}`)
}

// valuation reads a valuation method, without allocating for a defined
// one.
func (d *fastDecoder) valuation(dst *Valuation) bool {
	s, ok := d.raw()
	if !ok {
		return false
	}
	switch string(s) {
	case string(ReplacementCost):
		*dst = ReplacementCost
	case string(OpportunityCost):
		*dst = OpportunityCost
	case string(TimeCreditMethod):
		*dst = TimeCreditMethod
	default:
		*dst = Valuation(s) // undefined: checkShape refuses it
	}
	return true
}

// metadata reads the metadata, if any: a non-empty object of strings.
// A key given twice keeps its last value, as with encoding/json.
func (d *fastDecoder) metadata(dst *map[string]string) bool {
	if !d.lit(`,"metadata":{`) {
		return true
	}
	return d.metadataBody(dst)
}

// metadataBody reads a non-empty object of strings after its '{'.
func (d *fastDecoder) metadataBody(dst *map[string]string) bool {
	m := make(map[string]string)
	*dst = m
	for {
		var k, v string
		if !d.str(&k) || !d.lit(`:`) || !d.str(&v) {
			return false
		}
		m[k] = v
		if d.lit(`}`) {
			return true
		}
		if !d.lit(`,`) {
			return false
		}
	}
}

// proof reads the proof, if any, as appendProof writes it: its path (null
// for a nil one), then its acting-for records if there are any.
func (d *fastDecoder) proof(dst **coprod.Proof, scope coprod.Scope) bool {
	if d.lit(`,"proof_ref":`) {
		// Only a journal's record names a line; the replay resolves it.
		r := d.reuse
		if r == nil {
			return false
		}
		i := 0
		for i < len(d.b) && '0' <= d.b[i] && d.b[i] <= '9' {
			i++
		}
		n, ok := journal.ParseSeq(d.b[:i])
		r.proofRef, d.b = n, d.b[i:]
		return ok
	}
	if !d.lit(`,"proof":`) {
		return true
	}
	if !d.lit(`{"path":`) {
		return false
	}
	p := new(coprod.Proof)
	*dst = p
	if !d.lit(`null`) {
		if !d.lit(`[`) {
			return false
		}
		p.Path = make([]coprod.ProofLink, 0, 2)
		if !d.lit(`]`) && !d.links(&p.Path, scope) {
			return false
		}
	}
	if d.lit(`,"acting":[`) && !d.acting(&p.Acting) {
		return false
	}
	return d.lit(`}`)
}

// links reads the links of a non-empty proof path and its closing ']'.
// Each link's scope covers the record's, scope, so is usually a prefix of
// it, and then shares its bytes.
func (d *fastDecoder) links(dst *[]coprod.ProofLink, scope coprod.Scope) bool {
	for {
		var l coprod.ProofLink
		if !d.lit(`{"id":`) || !d.uuid(&l.ID) ||
			!d.optUUID(`,"from":`, ``, &l.From) ||
			!d.lit(`,"to":`) || !d.uuid(&l.To) ||
			!d.lit(`,"scope":`) || !d.scopeIn(&l.Scope, scope) ||
			!d.lit(`,"limit":`) || !d.amount(&l.Limit) ||
			!d.period(&l.Period) || !d.lit(`}`) {
			return false
		}
		*dst = append(*dst, l)
		if d.lit(`]`) {
			return true
		}
		if !d.lit(`,`) {
			return false
		}
	}
}

// period reads a link's period, if any, as coprod.Window.UnmarshalJSON
// would: at least one bound (the encoder omits the zero Window), and a
// window that validates.
func (d *fastDecoder) period(dst *coprod.Window) bool {
	if !d.lit(`,"period":{`) {
		return true
	}
	var w coprod.Window
	switch {
	case d.lit(`"not_before":`):
		if !d.time(&w.NotBefore) {
			return false
		}
		if d.lit(`,"expires":`) && !d.time(&w.Expires) {
			return false
		}
	case d.lit(`"expires":`):
		if !d.time(&w.Expires) {
			return false
		}
	default:
		return false
	}
	if !d.lit(`}`) || w.Validate() != nil {
		return false
	}
	*dst = w
	return true
}

// acting reads a proof's non-empty acting-for records and the closing ']'.
func (d *fastDecoder) acting(dst *[]coprod.ProofActing) bool {
	for {
		var a coprod.ProofActing
		if !d.lit(`{"id":`) || !d.uuid(&a.ID) ||
			!d.lit(`,"person":`) || !d.uuid(&a.Person) ||
			!d.lit(`,"for":`) || !d.uuid(&a.For) || !d.lit(`}`) {
			return false
		}
		*dst = append(*dst, a)
		if d.lit(`]`) {
			return true
		}
		if !d.lit(`,`) {
			return false
		}
	}
}

// decodeTransaction decodes a journal record: the fast path when it
// applies, encoding/json (through Transaction.UnmarshalJSON) otherwise.
// Both run the same shape checks.
func decodeTransaction(b []byte) (Transaction, error) {
	return decodeTransactionWith(b, nil)
}

// decodeTransactionWith is decodeTransaction reusing what r holds (see
// decodeTransactionInto).
func decodeTransactionWith(b []byte, r *decodeReuse) (Transaction, error) {
	var t Transaction
	err := decodeTransactionInto(&t, b, r)
	return t, err
}

// decodeTransactionInto is decodeTransaction into t, which is zero,
// reusing what r holds, if not nil (see decodeInto). With r, the record is
// a journal's: its proof may be the number of an earlier line
// ("proof_ref"), left in r.proofRef for the replay to resolve.
func decodeTransactionInto(t *Transaction, b []byte, r *decodeReuse) error {
	if r != nil {
		r.proofRef = 0
	}
	if decodeInto(t, b, r) {
		return checkShape(t)
	}
	*t = Transaction{}
	if r == nil {
		return t.UnmarshalJSON(b)
	}
	r.proofRef = 0
	tx, ref, err := decodeJournalTransactionJSON(b)
	if err != nil {
		return err
	}
	if err := checkShape(&tx); err != nil {
		return err
	}
	*t, r.proofRef = tx, ref
	return nil
}

// decodeJournalTransactionJSON decodes a transaction's journal record
// with encoding/json, as Transaction.UnmarshalJSON does before its shape
// checks, but for its proof: a record may name, in place of a proof, the
// earlier line that holds it in full ("proof_ref"), returned as ref (0
// for none). The fast path reads what it reads as this does.
func decodeJournalTransactionJSON(b []byte) (t Transaction, ref int, err error) {
	var v struct {
		plainTransaction
		ProofRef json.RawMessage `json:"proof_ref"`
	}
	if err := decodeStrict(b, &v); err != nil {
		return Transaction{}, 0, wrap("decode transaction", err)
	}
	t = Transaction(v.plainTransaction)
	if v.ProofRef == nil {
		return t, 0, nil
	}
	// A line number as lines write one, in place of a proof (not beside
	// one, even null): not null, 1.0 or 1e3.
	var proof struct{ Proof json.RawMessage }
	n, ok := journal.ParseSeq(v.ProofRef)
	if !ok || json.Unmarshal(b, &proof) != nil || proof.Proof != nil {
		return Transaction{}, 0, refuse("transaction", t.ID, ErrInvalidTransaction, "proof_ref must be a line number, in place of a proof")
	}
	return t, n, nil
}

// plainTransaction has Transaction's fields and tags but not its JSON
// methods: the journal's decoder embeds it, and encoding/json's output
// for it is the reference the fast encoder must match byte for byte.
type plainTransaction Transaction

// decodeTransactionTextFast reads a transaction's free text as the
// journal writes it (json.Marshal of transactionText: an optional salt,
// memo and metadata, in that order), and reports false for anything else,
// leaving it to encoding/json. What it accepts it decodes as encoding/json
// would: a fuzz target holds the two together.
func decodeTransactionTextFast(b []byte) (memo string, metadata map[string]string, ok bool) {
	d := fastDecoder{b: b}
	if !d.lit(`{`) {
		return "", nil, false
	}
	first := true
	field := func(key string) bool {
		if first {
			if d.lit(key) {
				first = false
				return true
			}
			return false
		}
		if bytes.HasPrefix(d.b, []byte(",")) && bytes.HasPrefix(d.b[1:], []byte(key)) {
			d.b = d.b[1+len(key):]
			return true
		}
		return false
	}
	var salt string
	if field(`"salt":`) && !d.str(&salt) {
		return "", nil, false
	}
	if field(`"memo":`) && !d.str(&memo) {
		return "", nil, false
	}
	if field(`"metadata":{`) && !d.metadataBody(&metadata) {
		return "", nil, false
	}
	if !d.lit(`}`) || len(d.b) != 0 {
		return "", nil, false
	}
	return memo, metadata, true
}
