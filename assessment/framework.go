package assessment

import (
	"fmt"

	"github.com/coprod/coprod/governance"
)

// Influence is a place on the common influence scale of DOMAIN.md §2, which
// lets a level on one ladder be read on another. It runs from InfluenceNone
// (0) to InfluenceCommunityDecides (6); it is persisted as that number.
type Influence int

// The common influence scale, lowest first. Append-only: never renumbered.
const (
	// InfluenceNone: no influence (manipulation, therapy, coercion,
	// educating).
	InfluenceNone Influence = iota
	// InfluenceInformation: one-way information.
	InfluenceInformation
	// InfluenceViewsSought: views are sought.
	InfluenceViewsSought
	// InfluenceSome: some influence on decisions made by others.
	InfluenceSome
	// InfluenceSharedDesign: design is shared.
	InfluenceSharedDesign
	// InfluenceSharedDelivery: design and delivery are shared.
	InfluenceSharedDelivery
	// InfluenceCommunityDecides: the community decides.
	InfluenceCommunityDecides
)

// MaxInfluence is the top of the common influence scale.
const MaxInfluence = InfluenceCommunityDecides

// Valid reports whether i lies on the scale.
func (i Influence) Valid() bool { return i >= InfluenceNone && i <= MaxInfluence }

// String returns the place's code ("shared-design"), or "Influence(n)" off
// the scale.
func (i Influence) String() string {
	switch i {
	case InfluenceNone:
		return "none"
	case InfluenceInformation:
		return "information"
	case InfluenceViewsSought:
		return "views-sought"
	case InfluenceSome:
		return "some-influence"
	case InfluenceSharedDesign:
		return "shared-design"
	case InfluenceSharedDelivery:
		return "shared-delivery"
	case InfluenceCommunityDecides:
		return "community-decides"
	}
	return fmt.Sprintf("Influence(%d)", int(i))
}

// Rung is one step of a ladder of participation: its ID (a stable code),
// its name in the framework, our own one-line definition, the band of the
// ladder it belongs to where the framework names bands, and its place on
// the common influence scale (the crosswalk, which a caller may change in
// a copy).
type Rung struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Definition string    `json:"definition"`
	Band       string    `json:"band,omitempty"`
	Influence  Influence `json:"influence"`
}

// Framework is a ladder of participation held as data: an ID, a name,
// a link to its source and its rungs, lowest first. Frameworks are plain
// values: the functions that return them return fresh copies, which the
// caller may change (to override the crosswalk, say) without touching
// anyone else's.
type Framework struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Source string `json:"source"`
	Rungs  []Rung `json:"rungs"`
}

// Rung returns the rung with the given ID and its index, lowest 0.
func (f Framework) Rung(id string) (Rung, int, bool) {
	for i, r := range f.Rungs {
		if r.ID == id {
			return r, i, true
		}
	}
	return Rung{}, -1, false
}

// At returns the highest rung whose influence is at most i, and false when
// even the lowest rung asks for more: how a place on the common scale reads
// on this ladder.
func (f Framework) At(i Influence) (Rung, int, bool) {
	best := -1
	for k, r := range f.Rungs {
		if r.Influence <= i {
			best = k
		}
	}
	if best < 0 {
		return Rung{}, -1, false
	}
	return f.Rungs[best], best, true
}

// Framework IDs.
const (
	FrameworkTLAP     = "tlap"
	FrameworkArnstein = "arnstein"
	FrameworkIAP2     = "iap2"
)

// TLAP returns the Think Local Act Personal / NCAG ladder of co-production
// (7 rungs), the default ladder. Reuse is allowed with attribution and a
// link; the definitions are ours.
func TLAP() Framework {
	return Framework{
		ID:     FrameworkTLAP,
		Name:   "TLAP ladder of co-production",
		Source: "https://www.thinklocalactpersonal.org.uk/",
		Rungs: []Rung{
			{ID: "coercion", Name: "Coercion", Band: "doing to", Influence: InfluenceNone,
				Definition: "People attend as spectators; the service is imposed on them."},
			{ID: "educating", Name: "Educating", Band: "doing to", Influence: InfluenceNone,
				Definition: "People are helped to understand a service designed without them."},
			{ID: "informing", Name: "Informing", Band: "doing for", Influence: InfluenceInformation,
				Definition: "People are told what has been decided."},
			{ID: "consultation", Name: "Consultation", Band: "doing for", Influence: InfluenceViewsSought,
				Definition: "People's views are asked for; others decide what to do with them."},
			{ID: "engagement", Name: "Engagement", Band: "doing for", Influence: InfluenceSome,
				Definition: "People are involved and resourced, with some influence, but others hold the power."},
			{ID: "co-design", Name: "Co-design", Band: "doing with", Influence: InfluenceSharedDesign,
				Definition: "People share in designing the service, with power to shape it."},
			{ID: "co-production", Name: "Co-production", Band: "doing with", Influence: InfluenceSharedDelivery,
				Definition: "People share power, design, delivery and review as equal partners."},
		},
	}
}

// Arnstein returns Arnstein's ladder of citizen participation (1969),
// 8 rungs.
func Arnstein() Framework {
	return Framework{
		ID:     FrameworkArnstein,
		Name:   "Arnstein's ladder of citizen participation",
		Source: "https://doi.org/10.1080/01944366908977225",
		Rungs: []Rung{
			{ID: "manipulation", Name: "Manipulation", Band: "non-participation", Influence: InfluenceNone,
				Definition: "Participation staged to win support for what is already decided."},
			{ID: "therapy", Name: "Therapy", Band: "non-participation", Influence: InfluenceNone,
				Definition: "Participants are treated as the problem to be corrected."},
			{ID: "informing", Name: "Informing", Band: "tokenism", Influence: InfluenceInformation,
				Definition: "One-way information with no channel back."},
			{ID: "consultation", Name: "Consultation", Band: "tokenism", Influence: InfluenceViewsSought,
				Definition: "Views are gathered with no assurance they will count."},
			{ID: "placation", Name: "Placation", Band: "tokenism", Influence: InfluenceSome,
				Definition: "A few seats or some say, while power-holders keep the decision."},
			{ID: "partnership", Name: "Partnership", Band: "citizen power", Influence: InfluenceSharedDesign,
				Definition: "Power is shared through agreed joint structures."},
			{ID: "delegated-power", Name: "Delegated power", Band: "citizen power", Influence: InfluenceCommunityDecides,
				Definition: "Citizens hold decisive authority over a plan or programme."},
			{ID: "citizen-control", Name: "Citizen control", Band: "citizen power", Influence: InfluenceCommunityDecides,
				Definition: "Citizens run a programme or institution themselves."},
		},
	}
}

// IAP2 returns the names of the IAP2 spectrum of public participation
// (5 rungs). IAP2 asks permission for its own text, so only the names are
// kept; the definitions are ours.
func IAP2() Framework {
	return Framework{
		ID:     FrameworkIAP2,
		Name:   "IAP2 spectrum of public participation",
		Source: "https://www.iap2.org/page/pillars",
		Rungs: []Rung{
			{ID: "inform", Name: "Inform", Influence: InfluenceInformation,
				Definition: "The public is given information."},
			{ID: "consult", Name: "Consult", Influence: InfluenceViewsSought,
				Definition: "The public's feedback is obtained."},
			{ID: "involve", Name: "Involve", Influence: InfluenceSome,
				Definition: "The public works alongside throughout, and its concerns are reflected."},
			{ID: "collaborate", Name: "Collaborate", Influence: InfluenceSharedDesign,
				Definition: "The public is a partner in each part of the decision."},
			{ID: "empower", Name: "Empower", Influence: InfluenceCommunityDecides,
				Definition: "The public makes the final decision."},
		},
	}
}

// Frameworks returns fresh copies of every ladder the package defines:
// TLAP, Arnstein, IAP2.
func Frameworks() []Framework { return []Framework{TLAP(), Arnstein(), IAP2()} }

// CoDefinition describes one of the four Co's (governance.Co): the stage
// of the commissioning cycle it follows and our own definition.
type CoDefinition struct {
	Co         governance.Co `json:"co"`
	Name       string        `json:"name"`
	Stage      string        `json:"stage"`
	Definition string        `json:"definition"`
}

// CosSource is the source of the four Co's (Bovaird and Loeffler).
const CosSource = "https://doi.org/10.1007/s11266-012-9309-6"

// Cos returns the four Co's in the order of the commissioning cycle.
func Cos() []CoDefinition {
	return []CoDefinition{
		{Co: governance.CoCommissioning, Name: "Co-commissioning", Stage: "analyse",
			Definition: "Community and statutory partners decide together what is needed and who provides it."},
		{Co: governance.CoDesign, Name: "Co-design", Stage: "plan",
			Definition: "They shape the service together."},
		{Co: governance.CoDelivery, Name: "Co-delivery", Stage: "do",
			Definition: "They run the service together."},
		{Co: governance.CoAssessment, Name: "Co-assessment", Stage: "review",
			Definition: "They judge together how well it works."},
	}
}

// Scale is the scale of coproduction (Nabatchi, Sancino and Sicilia
// 2017): who it involves and benefits. It is not a rung of a ladder nor
// the unit assessed. Scales are persisted by their code; the zero Scale
// means none reached.
type Scale string

// The scales of coproduction, smallest first.
const (
	ScaleIndividual Scale = "individual"
	ScaleGroup      Scale = "group"
	ScaleCollective Scale = "collective"
)

// Valid reports whether s is a defined scale.
func (s Scale) Valid() bool {
	return s == ScaleIndividual || s == ScaleGroup || s == ScaleCollective
}

// ScalesSource is the source of the three scales of coproduction.
const ScalesSource = "https://doi.org/10.1111/puar.12765"

// ScaleDefinition is one scale of coproduction with our own definition.
type ScaleDefinition struct {
	Scale      Scale  `json:"scale"`
	Definition string `json:"definition"`
}

// Scales returns the three scales of coproduction, smallest first.
func Scales() []ScaleDefinition {
	return []ScaleDefinition{
		{ScaleIndividual, "Individual people take part on their own behalf, such as a service user consulted."},
		{ScaleGroup, "Organised groups of people who share a need or a place take part as groups."},
		{ScaleCollective, "Community organisations shape what is provided for the whole community."},
	}
}

// Unit is what an assessment is of: a professional's practice, a service,
// or an organisation. It is not a rung nor a scale. Units are persisted by
// their code; the zero Unit means UnitOrganisation.
type Unit string

// The units assessed.
const (
	UnitProfessional Unit = "professional"
	UnitService      Unit = "service"
	UnitOrganisation Unit = "organisation"
)

// Valid reports whether u is a defined unit.
func (u Unit) Valid() bool {
	return u == UnitProfessional || u == UnitService || u == UnitOrganisation
}

// UnitDefinition is one unit of assessment with our own definition.
type UnitDefinition struct {
	Unit       Unit   `json:"unit"`
	Definition string `json:"definition"`
}

// Units returns the three units of assessment, smallest first.
func Units() []UnitDefinition {
	return []UnitDefinition{
		{UnitProfessional, "One professional's own practice."},
		{UnitService, "One service, across the people who run it."},
		{UnitOrganisation, "A whole organisation or partnership."},
	}
}

// Principle is one of the NEF/Nesta principles of co-production, with our
// own one-line definition.
type Principle struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Definition string `json:"definition"`
}

// PrinciplesSource is the source of the principles.
const PrinciplesSource = "https://www.nesta.org.uk/report/the-challenge-of-co-production/"

// Principles returns the six NEF/Nesta principles.
func Principles() []Principle {
	return []Principle{
		{"assets", "Assets", "People are seen as contributors, not only as needs."},
		{"capacity", "Capacity", "What people can already do is built on."},
		{"mutuality", "Mutuality and reciprocity", "Contributions flow both ways and are recognised."},
		{"peer-networks", "Peer networks", "People's own networks carry knowledge and support."},
		{"blurring-roles", "Blurring roles", "The line between provider and user softens."},
		{"catalysts", "Catalysts", "Agencies enable others rather than deliver alone."},
	}
}
