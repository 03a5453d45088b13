package governance

import (
	"fmt"
	"slices"
	"time"

	"github.com/coprod/coprod"
	"github.com/google/uuid"
)

// Co is one of Bovaird and Loeffler's four Co's, the type of coproduction
// an activity is: they follow the commissioning cycle Analyse, Plan, Do,
// Review. Co's are persisted by their code.
type Co string

// The four Co's.
const (
	// CoCommissioning: deciding what is needed and who provides it.
	CoCommissioning Co = "co-commissioning"
	// CoDesign: shaping the service.
	CoDesign Co = "co-design"
	// CoDelivery: running it.
	CoDelivery Co = "co-delivery"
	// CoAssessment: judging how well it works.
	CoAssessment Co = "co-assessment"
)

// AllCos returns the four Co's in the order of the commissioning cycle.
func AllCos() []Co { return []Co{CoCommissioning, CoDesign, CoDelivery, CoAssessment} }

// Valid reports whether c is one of the four Co's.
func (c Co) Valid() bool {
	switch c {
	case CoCommissioning, CoDesign, CoDelivery, CoAssessment:
		return true
	}
	return false
}

// ID returns a stable UUID standing for the Co, so that a Finding about
// one Co can name it among its subjects: the name-based (SHA-1) UUID of
// "coprod:co/" followed by the code, in the URL namespace. The same Co
// has the same ID in every register and every release.
func (c Co) ID() uuid.UUID { return uuid.NewSHA1(uuid.NameSpaceURL, []byte("coprod:co/"+string(c))) }

// index returns c's place in AllCos, or -1.
func (c Co) index() int {
	switch c {
	case CoCommissioning:
		return 0
	case CoDesign:
		return 1
	case CoDelivery:
		return 2
	case CoAssessment:
		return 3
	}
	return -1
}

// validateCos refuses an undefined Co and a Co named twice.
func validateCos(cos []Co) error {
	for i, c := range cos {
		if !c.Valid() {
			return fmt.Errorf("unknown co %.40q", string(c))
		}
		if slices.Contains(cos[:i], c) {
			return fmt.Errorf("co %s named twice", c)
		}
	}
	return nil
}

// In reports whether the activity belongs to Co c.
func (a Activity) In(c Co) bool { return slices.Contains(a.Cos, c) }

// Live reports whether the activity's window contains t.
func (a Activity) Live(t time.Time) bool { return a.Window.Contains(t) }

// Decides reports whether p decides in the activity: p is Responsible or
// Accountable. RACI gives those two the doing and the answering for it,
// so a decision right is read off the RACI line rather than kept in a
// second list that could disagree with it.
func (a Activity) Decides(p coprod.PartyID) bool {
	return slices.Contains(a.Responsible, p) || slices.Contains(a.Accountable, p)
}

// Advises reports whether p takes part in the activity without deciding:
// p is Consulted (their views are sought) or Informed (they are told),
// and neither Responsible nor Accountable. Deputies neither decide nor
// advise until they stand in, when a revision names them.
func (a Activity) Advises(p coprod.PartyID) bool {
	return !a.Decides(p) && (slices.Contains(a.Consulted, p) || slices.Contains(a.Informed, p))
}
