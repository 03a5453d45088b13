package assessment

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// Limits on questionnaire instruments and responses. Exceeding one makes
// Instrument.Validate, Response validation and Assess fail with
// ErrInvalidInstrument or ErrInvalidResponse.
const (
	// MaxInstruments bounds the instruments one Input carries.
	MaxInstruments = 16
	// MaxItems bounds the items of one instrument.
	MaxItems = 200
	// MaxDomains bounds the domains of one instrument.
	MaxDomains = 32
	// MaxBands bounds the bands of one instrument.
	MaxBands = 16
	// MaxItemScore bounds the magnitude of an item's lowest and highest
	// score, so that no sum can overflow.
	MaxItemScore = 1000
	// MaxResponses bounds the responses one Input carries.
	MaxResponses = 10000
)

// Sentinel errors of questionnaires. Assess returns them wrapped together
// with ErrInvalidInput.
var (
	// ErrInvalidInstrument is returned by Instrument.Validate and Assess
	// for an instrument without an ID, name or version; with no items,
	// or items in no domain it defines; with a score range that is empty
	// or passes MaxItemScore; with bands that do not cover every possible
	// sum exactly once, in order; with a limit passed; or given twice.
	ErrInvalidInstrument = coprod.NewError("INVALID_INSTRUMENT", "assessment: invalid instrument")
	// ErrInvalidResponse is returned by Assess for a response without an
	// ID, a rater or a date, of an undefined side or unit, to an
	// instrument the input does not hold, that does not score every item
	// exactly once within the instrument's range, or given twice.
	ErrInvalidResponse = coprod.NewError("INVALID_RESPONSE", "assessment: invalid response")
)

// Instrument is a questionnaire held as data, scored beside the probes:
// items scored from MinScore to MaxScore (a Likert scale, 1 to 5),
// grouped in domains, summed, and the sum read against bands. The item
// text is the caller's to supply: the library bundles no questionnaire's
// wording. The Hub's Coproduction Assessment (20 items scored 1 to 5,
// bands 20–39, 40–59, 60–79, 80–100) and the Co-production Network for
// Wales audit (15 statements under its 5 principles) are both instruments.
//
// It is a plain value; Fingerprint tells an edited copy from the original.
type Instrument struct {
	ID       string             `json:"id"`
	Name     string             `json:"name"`
	Version  string             `json:"version"`
	Source   string             `json:"source,omitempty"`
	MinScore int                `json:"min_score"`
	MaxScore int                `json:"max_score"`
	Domains  []InstrumentDomain `json:"domains"`
	Items    []Item             `json:"items"`
	// Bands read the sum of all items, lowest first; together they cover
	// every sum from len(Items)*MinScore to len(Items)*MaxScore, each
	// once.
	Bands []Band `json:"bands"`
}

// InstrumentDomain is a group of an instrument's items, such as one of
// the Wales network's principles.
type InstrumentDomain struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Item is one question or statement of an instrument: a stable ID, the
// domain it belongs to, and its text as the caller supplies it.
type Item struct {
	ID     string `json:"id"`
	Domain string `json:"domain"`
	Text   string `json:"text,omitempty"`
}

// Band is a range of sums, Min to Max inclusive, with its label ("going
// strong").
type Band struct {
	Min   int    `json:"min"`
	Max   int    `json:"max"`
	Label string `json:"label"`
}

// Clone returns a deep copy of in.
func (in Instrument) Clone() Instrument {
	c := in
	c.Domains, c.Items, c.Bands = slices.Clone(in.Domains), slices.Clone(in.Items), slices.Clone(in.Bands)
	return c
}

// instrumentPrefix names the canonical encoding of an instrument.
const instrumentPrefix = "coprod.assessment.instrument/v1\n"

// Fingerprint returns the SHA-256, in hex, of the instrument's canonical
// encoding: a prefix naming the encoding, then its JSON with every field
// in declaration order. Equal content gives equal fingerprints, whatever
// the name says.
func (in Instrument) Fingerprint() string {
	b, err := json.Marshal(in)
	if err != nil { // strings and ints only
		panic("assessment: instrument does not encode: " + err.Error())
	}
	h := sha256.New()
	h.Write([]byte(instrumentPrefix))
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// Validate reports whether in can be scored. Failures match
// ErrInvalidInstrument.
func (in Instrument) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("assessment: instrument %q: %s: %w", in.ID, fmt.Sprintf(format, a...), ErrInvalidInstrument)
	}
	for _, f := range []struct {
		name, s  string
		required bool
	}{{"id", in.ID, true}, {"name", in.Name, true}, {"version", in.Version, true}, {"source", in.Source, false}} {
		if err := text(f.name, f.s, f.required); err != nil {
			return bad("%s empty, too long or not UTF-8", f.name)
		}
	}
	switch {
	case in.MinScore >= in.MaxScore || in.MinScore < -MaxItemScore || in.MaxScore > MaxItemScore:
		return bad("scores %d to %d: not a range within ±%d", in.MinScore, in.MaxScore, MaxItemScore)
	case len(in.Items) == 0 || len(in.Items) > MaxItems:
		return bad("%d items, not 1 to %d", len(in.Items), MaxItems)
	case len(in.Domains) == 0 || len(in.Domains) > MaxDomains:
		return bad("%d domains, not 1 to %d", len(in.Domains), MaxDomains)
	case len(in.Bands) == 0 || len(in.Bands) > MaxBands:
		return bad("%d bands, not 1 to %d", len(in.Bands), MaxBands)
	}
	domains := map[string]bool{}
	for _, d := range in.Domains {
		if text("domain id", d.ID, true) != nil || text("domain name", d.Name, true) != nil || domains[d.ID] {
			return bad("domain %q empty, repeated, too long or not UTF-8", d.ID)
		}
		domains[d.ID] = true
	}
	items := map[string]bool{}
	for _, it := range in.Items {
		if text("item id", it.ID, true) != nil || text("item text", it.Text, false) != nil || items[it.ID] {
			return bad("item %q empty, repeated, too long or not UTF-8", it.ID)
		}
		items[it.ID] = true
		if !domains[it.Domain] {
			return bad("item %q in domain %q, not defined", it.ID, it.Domain)
		}
	}
	lo, hi := len(in.Items)*in.MinScore, len(in.Items)*in.MaxScore
	next := lo
	for _, b := range in.Bands {
		if text("band label", b.Label, true) != nil {
			return bad("band label %q empty, too long or not UTF-8", b.Label)
		}
		if b.Min != next || b.Max < b.Min {
			return bad("band %q is %d to %d; the bands must run from %d to %d without gap or overlap", b.Label, b.Min, b.Max, lo, hi)
		}
		next = b.Max + 1
	}
	if next != hi+1 {
		return bad("bands end at %d, not %d", next-1, hi)
	}
	return nil
}

// bandOf returns the index of the band that total/n falls in: the highest
// whose Min is at most the mean, compared exactly as Min*n <= total.
func (in Instrument) bandOf(total, n int) int {
	i := 0
	for j, b := range in.Bands {
		if b.Min*n <= total {
			i = j
		}
	}
	return i
}

// Response is one rater's answers to one instrument about one unit: a
// score for every item. The zero Unit means UnitOrganisation. When a rater
// answers the same instrument about the same unit more than once, the
// latest response known at the assessment's time counts (ties broken by
// ID), so that a repeated survey replaces rather than doubles a voice.
type Response struct {
	ID         uuid.UUID      `json:"id"`
	Instrument string         `json:"instrument"`
	Rater      coprod.PartyID `json:"rater"`
	Side       Side           `json:"side"`
	Unit       Unit           `json:"unit,omitempty"`
	Date       time.Time      `json:"date"`
	Scores     []ItemScore    `json:"scores"`
}

// ItemScore is the score a response gives one item.
type ItemScore struct {
	Item  string `json:"item"`
	Score int    `json:"score"`
}

func (r Response) unit() Unit {
	if r.Unit == "" {
		return UnitOrganisation
	}
	return r.Unit
}

// validate checks r against its instrument; every item must be scored
// once, since a band read from a partial sum would mislead.
func (r Response) validate(in Instrument) error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("assessment: response %s: %s: %w: %w", r.ID, fmt.Sprintf(format, a...), ErrInvalidResponse, ErrInvalidInput)
	}
	switch {
	case r.ID == uuid.Nil:
		return bad("no ID")
	case r.Rater == uuid.Nil:
		return bad("no rater")
	case r.Date.IsZero():
		return bad("no date")
	case !r.Side.Valid():
		return bad("side %q", r.Side)
	case r.Unit != "" && !r.Unit.Valid():
		return bad("unit %q", r.Unit)
	case len(r.Scores) != len(in.Items):
		return bad("%d scores for %d items of %q", len(r.Scores), len(in.Items), in.ID)
	}
	items := map[string]bool{}
	for _, it := range in.Items {
		items[it.ID] = true
	}
	for _, s := range r.Scores {
		if !items[s.Item] {
			return bad("item %q not of %q or scored twice", s.Item, in.ID)
		}
		delete(items, s.Item)
		if s.Score < in.MinScore || s.Score > in.MaxScore {
			return bad("item %q scored %d, outside %d to %d", s.Item, s.Score, in.MinScore, in.MaxScore)
		}
	}
	return nil
}

// instrumentRatings is one instrument with the responses that count, by
// unit, side, then rater.
type instrumentRatings struct {
	instrument Instrument
	responses  []Response
}

// prepareRatings validates the input's instruments and responses and
// keeps, for each instrument, unit and rater, the latest response known
// at the assessment's time.
func prepareRatings(in Input) ([]instrumentRatings, error) {
	if len(in.Instruments) > MaxInstruments {
		return nil, fmt.Errorf("assessment: %d instruments, more than %d: %w: %w", len(in.Instruments), MaxInstruments, ErrInvalidInstrument, ErrInvalidInput)
	}
	if len(in.Responses) > MaxResponses {
		return nil, fmt.Errorf("assessment: %d responses, more than %d: %w: %w", len(in.Responses), MaxResponses, ErrInvalidResponse, ErrInvalidInput)
	}
	byID := map[string]int{}
	out := make([]instrumentRatings, 0, len(in.Instruments))
	for _, ins := range in.Instruments {
		if err := ins.Validate(); err != nil {
			return nil, fmt.Errorf("%w: %w", err, ErrInvalidInput)
		}
		if _, dup := byID[ins.ID]; dup {
			return nil, fmt.Errorf("assessment: instrument %q given twice: %w: %w", ins.ID, ErrInvalidInstrument, ErrInvalidInput)
		}
		byID[ins.ID] = len(out)
		out = append(out, instrumentRatings{instrument: ins.Clone()})
	}
	type key struct {
		ins   string
		unit  Unit
		rater uuid.UUID
	}
	latest := map[key]Response{}
	seen := map[uuid.UUID]bool{}
	for _, r := range in.Responses {
		i, ok := byID[r.Instrument]
		if !ok {
			return nil, fmt.Errorf("assessment: response %s to instrument %q, not given: %w: %w", r.ID, r.Instrument, ErrInvalidResponse, ErrInvalidInput)
		}
		if err := r.validate(out[i].instrument); err != nil {
			return nil, err
		}
		if seen[r.ID] {
			return nil, fmt.Errorf("assessment: response %s given twice: %w: %w", r.ID, ErrInvalidResponse, ErrInvalidInput)
		}
		seen[r.ID] = true
		if r.Date.After(in.At) {
			continue
		}
		k := key{r.Instrument, r.unit(), r.Rater}
		if old, ok := latest[k]; ok {
			if c := old.Date.Compare(r.Date); c > 0 || c == 0 && bytes.Compare(old.ID[:], r.ID[:]) > 0 {
				continue
			}
		}
		latest[k] = r
	}
	for _, r := range latest {
		i := byID[r.Instrument]
		out[i].responses = append(out[i].responses, r)
	}
	for _, ir := range out {
		slices.SortFunc(ir.responses, func(a, b Response) int {
			if c := unitOrder(a.unit()) - unitOrder(b.unit()); c != 0 {
				return c
			}
			if c := strings.Compare(string(a.Side), string(b.Side)); c != 0 {
				return -c // statutory first
			}
			return bytes.Compare(a.Rater[:], b.Rater[:])
		})
	}
	slices.SortFunc(out, func(a, b instrumentRatings) int { return strings.Compare(a.instrument.ID, b.instrument.ID) })
	return out, nil
}

func unitOrder(u Unit) int {
	switch u {
	case UnitProfessional:
		return 0
	case UnitService:
		return 1
	}
	return 2
}

// InstrumentResult is one instrument as answered: its name, version and
// fingerprint, and a rating for every unit and side that answered it.
type InstrumentResult struct {
	Instrument  string       `json:"instrument"`
	Name        string       `json:"name"`
	Version     string       `json:"version"`
	Fingerprint string       `json:"fingerprint"`
	Ratings     []SideRating `json:"ratings"`
}

// SideRating is how one side rated one unit on an instrument: the
// responses that count, the mean of their sums (rounded half away from zero
// to two places for show; the band is read from the exact mean), the lowest and
// highest sums, the band the mean falls in (Band, from 1 for the lowest)
// and the mean sum per domain.
type SideRating struct {
	Unit      Unit           `json:"unit"`
	Side      Side           `json:"side"`
	Responses []uuid.UUID    `json:"responses"`
	Mean      string         `json:"mean"`
	Lowest    int            `json:"lowest"`
	Highest   int            `json:"highest"`
	Band      int            `json:"band"`
	Label     string         `json:"label"`
	Domains   []DomainRating `json:"domains"`
}

// DomainRating is the mean sum of one domain's items over a side's
// responses, out of the most the domain can score.
type DomainRating struct {
	Domain string `json:"domain"`
	Mean   string `json:"mean"`
	Max    int    `json:"max"`
}

// mean returns total/n rounded half away from zero to two places,
// exactly.
func mean(total, n int) string {
	// Integers only: hundredths = round(100*total/n).
	num, neg := 100*total, total < 0
	if neg {
		num = -num
	}
	q := (2*num + n) / (2 * n)
	s := fmt.Sprintf("%d.%02d", q/100, q%100)
	if neg && q != 0 {
		s = "-" + s
	}
	return s
}

// rateInstruments scores every instrument per unit and side.
func rateInstruments(irs []instrumentRatings) []InstrumentResult {
	var out []InstrumentResult
	for _, ir := range irs {
		ins := ir.instrument
		res := InstrumentResult{Instrument: ins.ID, Name: ins.Name, Version: ins.Version, Fingerprint: ins.Fingerprint(), Ratings: []SideRating{}}
		domainOf := map[string]string{}
		size := map[string]int{}
		for _, it := range ins.Items {
			domainOf[it.ID] = it.Domain
			size[it.Domain]++
		}
		for i := 0; i < len(ir.responses); {
			j := i
			for j < len(ir.responses) && ir.responses[j].unit() == ir.responses[i].unit() && ir.responses[j].Side == ir.responses[i].Side {
				j++
			}
			group := ir.responses[i:j]
			i = j
			sr := SideRating{Unit: group[0].unit(), Side: group[0].Side}
			total, n := 0, len(group)
			domainTotal := map[string]int{}
			for k, r := range group {
				sum := 0
				for _, s := range r.Scores {
					sum += s.Score
					domainTotal[domainOf[s.Item]] += s.Score
				}
				total += sum
				if k == 0 || sum < sr.Lowest {
					sr.Lowest = sum
				}
				if k == 0 || sum > sr.Highest {
					sr.Highest = sum
				}
				sr.Responses = append(sr.Responses, r.ID)
			}
			sortIDs(sr.Responses)
			sr.Mean = mean(total, n)
			b := ins.bandOf(total, n)
			sr.Band, sr.Label = b+1, ins.Bands[b].Label
			for _, d := range ins.Domains {
				sr.Domains = append(sr.Domains, DomainRating{Domain: d.ID, Mean: mean(domainTotal[d.ID], n), Max: size[d.ID] * ins.MaxScore})
			}
			res.Ratings = append(res.Ratings, sr)
		}
		out = append(out, res)
	}
	return out
}
