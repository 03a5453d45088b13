package assessment_test

import (
	"slices"
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/assessment"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var deputy = id(7)

// recommended applies the evaluation's recommendations to the
// partnership: formal delegation to the hub as an organisation and on to
// the temple within limits, the temple's grant made under it, its labour
// and costs paid, the community deciding in the reference group, a
// co-assessment panel with community members deciding, and a deputy for
// the commissioning officer, the key person the records show.
func recommended(t testing.TB) partnership {
	t.Helper()
	p := wandsworth(t)
	gbp := func(s string) coprod.Amount { return coprod.MustParseAmount(s, coprod.GBP) }
	p.parties = append(slices.Clone(p.parties), coprod.Party{ID: deputy, Name: "Deputy commissioning officer", Sector: coprod.Individual})
	p.delegations = append(slices.Clone(p.delegations),
		governance.Delegation{ID: id(50), Parent: id(10), From: council, To: hub, Scope: "commission/mental-health", Instrument: "Hub partnership agreement",
			TransactionLimit: gbp("10000"), CumulativeLimit: gbp("50000"), Period: governance.PeriodFinancialYear, MaySubDelegate: true, MaxDepth: 1},
		governance.Delegation{ID: id(51), Parent: id(50), From: hub, To: temple, Scope: "commission/mental-health/iapt", Instrument: "IAPT service agreement",
			TransactionLimit: gbp("5000"), CumulativeLimit: gbp("20000"), Period: governance.PeriodFinancialYear},
		governance.Delegation{ID: id(52), Parent: id(10), From: council, To: deputy, Scope: "commission/mental-health", Instrument: "Scheme s.4"},
	)
	p.acting = append(slices.Clone(p.acting), governance.ActingFor{ID: id(15), Person: deputy, For: council, Role: governance.RoleOfficer})
	p.activities = slices.Clone(p.activities)
	for i, a := range p.activities {
		switch a.ID {
		case id(30): // the reference group: the community decides
			a.Responsible = []uuid.UUID{officer, hub, temple}
			a.Consulted = nil
			a.Deputies = []uuid.UUID{deputy}
		case id(32):
			a.Deputies = []uuid.UUID{deputy}
		}
		p.activities[i] = a
	}
	p.activities = append(p.activities, governance.Activity{ID: id(33), Name: "Co-assessment panel", Scope: "commission/mental-health",
		Cos: []governance.Co{governance.CoAssessment}, Responsible: []uuid.UUID{hub, temple}, Accountable: []uuid.UUID{council}, Consulted: []uuid.UUID{user}})
	p.txs = slices.Clone(p.txs)
	for i, tx := range p.txs {
		if tx.ID == id(40) { // the grant, now under the hub's delegation
			tx.Formality = ledger.Formality{Instrument: id(51), Scope: "commission/mental-health/iapt", DecidedBy: hub}
			p.txs[i] = tx
		}
	}
	fee := gbp("2700") // the 1500 costs gap and the labour at the high wage
	p.txs = append(p.txs, ledger.Transaction{ID: id(44), Kind: ledger.Contract, Coverage: ledger.FullCost,
		Effective: t0.AddDate(0, 2, 0), Recorded: t0.AddDate(0, 2, 0),
		Postings:  []ledger.Posting{{Account: id(20), Amount: fee.Neg()}, {Account: id(21), Amount: fee}},
		Formality: ledger.Formality{Instrument: id(10), Scope: "commission/mental-health/iapt", DecidedBy: council}})
	return p
}

func codes(steps []assessment.NextStep) []string {
	var out []string
	for _, s := range steps {
		out = append(out, s.Blocker+" "+string(s.Code))
	}
	return out
}

func TestNextSteps(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*partnership)
		input func(*assessment.Input)
		want  []string
	}{
		{"wandsworth", nil, nil, []string{
			"money-formal FORMALISE_MONEY",
			"co-assessment CREATE_ACTIVITY",
			"community-decides-commissioning SHARE_DECISION",
			"delivery-authority-delegated DELEGATE_AUTHORITY",
			"labour-paid FUND_COSTS",
			"labour-paid FUND_LABOUR",
			"no-key-person APPOINT_DEPUTY", "no-key-person APPOINT_DEPUTY", "no-key-person APPOINT_DEPUTY",
		}},
		{"recommendations applied", func(p *partnership) { *p = recommended(t) }, nil, nil},
		{"nothing may be delegated", func(p *partnership) {
			p.mandates = slices.Clone(p.mandates)
			p.mandates[0].Reserved = []governance.Scope{"commission/mental-health/iapt"}
			p.delegations = without(p.delegations, func(d governance.Delegation) bool { return d.ID == id(11) })
		}, nil, []string{
			"clear-lines MEND_GOVERNANCE", "clear-lines MEND_GOVERNANCE", // the officer is left without authority
			"money-formal FORMALISE_MONEY",
			"co-assessment CREATE_ACTIVITY",
			"community-decides-commissioning SHARE_DECISION",
			"delivery-authority-delegated MANDATE_NEEDED",
			"labour-paid FUND_COSTS",
			"labour-paid FUND_LABOUR",
			"no-key-person APPOINT_DEPUTY", "no-key-person APPOINT_DEPUTY",
		}},
		{"held personally", func(p *partnership) {
			p.delegations = append(slices.Clone(p.delegations), governance.Delegation{ID: id(53), Parent: id(10), From: council, To: director,
				Scope: "commission/mental-health/design", Instrument: "Letter to the director"})
		}, nil, []string{
			"money-formal FORMALISE_MONEY",
			"co-assessment CREATE_ACTIVITY",
			"community-decides-commissioning SHARE_DECISION",
			"delivery-authority-delegated DELEGATE_AUTHORITY",
			"labour-paid FUND_COSTS",
			"labour-paid FUND_LABOUR",
			"no-key-person APPOINT_DEPUTY", "no-key-person APPOINT_DEPUTY", "no-key-person APPOINT_DEPUTY",
			"no-key-person TRANSFER_TO_ORGANISATION",
		}},
		// Rejection rows: what the records cannot answer gives no step.
		{"no ledger", nil, func(in *assessment.Input) { in.Ledger = nil }, []string{
			"co-assessment CREATE_ACTIVITY",
			"community-decides-commissioning SHARE_DECISION",
			"delivery-authority-delegated DELEGATE_AUTHORITY",
			"no-key-person APPOINT_DEPUTY", "no-key-person APPOINT_DEPUTY", "no-key-person APPOINT_DEPUTY",
		}},
		{"no records", nil, func(in *assessment.Input) { in.Ledger, in.Register = nil, nil }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := wandsworth(t)
			if tt.edit != nil {
				tt.edit(&p)
			}
			reg, l := p.build(t, nil)
			in := assessment.Input{Register: reg, Ledger: l, At: at}
			if tt.input != nil {
				tt.input(&in)
			}
			res, err := assessment.Assess(assessment.DefaultRubric(), in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, codes(res.NextSteps))
			for _, s := range res.NextSteps {
				assert.NotEmpty(t, s.Text)
				assert.True(t, slices.ContainsFunc(res.Blockers, func(b assessment.Blocker) bool { return b.Criterion == s.Blocker }), s.Blocker)
			}
		})
	}
}

func step(t *testing.T, steps []assessment.NextStep, code assessment.StepCode) assessment.NextStep {
	t.Helper()
	i := slices.IndexFunc(steps, func(s assessment.NextStep) bool { return s.Code == code })
	require.GreaterOrEqual(t, i, 0, "no %s step", code)
	return steps[i]
}

func amount(t *testing.T, s assessment.NextStep, k assessment.AmountKind) coprod.Amount {
	t.Helper()
	i := slices.IndexFunc(s.Amounts, func(a assessment.StepAmount) bool { return a.Kind == k })
	require.GreaterOrEqual(t, i, 0, "no %s amount", k)
	return s.Amounts[i].Amount
}

func TestNextStepsNameRecordsAndAmounts(t *testing.T) {
	res := assess(t, wandsworth(t), assessment.DefaultRubric())

	d := step(t, res.NextSteps, assessment.StepDelegate)
	assert.Equal(t, []uuid.UUID{id(32), temple, id(10), council}, d.Subjects, "activity, community party, link, holder")

	f := step(t, res.NextSteps, assessment.StepFormalise)
	assert.Equal(t, []uuid.UUID{id(40), council, temple, officer, id(11), officer}, f.Subjects)
	assert.True(t, amount(t, f, assessment.AmountDiscretionary).Equal(coprod.MustParseAmount("1000", coprod.GBP)))

	l := step(t, res.NextSteps, assessment.StepFundLabour)
	assert.True(t, amount(t, l, assessment.AmountHours).Equal(coprod.MustParseAmount("60", coprod.Hours)))
	assert.True(t, amount(t, l, assessment.AmountFundingLow).Equal(coprod.MustParseAmount("720", coprod.GBP)))
	assert.True(t, amount(t, l, assessment.AmountFundingHigh).Equal(coprod.MustParseAmount("1200", coprod.GBP)))
	assert.Empty(t, l.Flags, "the temple is an organisation")

	c := step(t, res.NextSteps, assessment.StepCreateActivity)
	assert.Equal(t, []uuid.UUID{governance.CoAssessment.ID(), hub, temple}, c.Subjects)
	assert.Contains(t, c.Text, "commission/mental-health")
}

func TestNextStepsFlagPayingIndividuals(t *testing.T) {
	p := wandsworth(t)
	p.accounts = append(slices.Clone(p.accounts), ledger.Account{ID: id(26), Owner: director, Kind: ledger.MemoLabour, Unit: coprod.Hours})
	p.txs = slices.Clone(p.txs)
	for i, tx := range p.txs {
		if tx.ID == id(43) { // the hours are the director's own
			tx.Postings = []ledger.Posting{{Account: id(26), Amount: coprod.MustParseAmount("-60", coprod.Hours)}, {Account: id(25), Amount: coprod.MustParseAmount("60", coprod.Hours)}}
			tx.Formality.DecidedBy = director
			p.txs[i] = tx
		}
	}
	r := assessment.DefaultRubric()
	r.Criteria = append(r.Criteria, assessment.Criterion{ID: "no-unpaid-labour", Rung: "co-production", Aspect: assessment.AspectPractice,
		Doc: "Nobody gives labour unpaid.", Needs: []assessment.Requirement{{Probe: "labour-unpaid", Want: assessment.False}}})
	res := assess(t, p, r)
	l := step(t, res.NextSteps, assessment.StepFundLabour)
	assert.Equal(t, []string{assessment.FlagBenefits}, l.Flags)
	assert.Equal(t, []uuid.UUID{director, hub, id(43)}, l.Subjects, "the director gives, the hub they act for is funded")
	assert.Contains(t, l.Text, "benefits")
}

// TestFormaliseGroupsPayments makes one next step of many discretionary
// payments from the same payer to the same recipient, by the same person
// in the same scope, naming how many and their total.
func TestFormaliseGroupsPayments(t *testing.T) {
	p := wandsworth(t)
	orig := txOf(t, p.txs, id(40))
	for i := range 3 {
		tx := orig
		tx.ID = uuid.NewSHA1(uuid.NameSpaceOID, []byte{byte(i)})
		tx.Postings = []ledger.Posting{
			{Account: orig.Postings[0].Account, Amount: coprod.MustParseAmount("-100", coprod.GBP)},
			{Account: orig.Postings[1].Account, Amount: coprod.MustParseAmount("100", coprod.GBP)},
		}
		p.txs = append(p.txs, tx)
	}
	res := assess(t, p, assessment.DefaultRubric())
	var formal []assessment.NextStep
	for _, s := range res.NextSteps {
		if s.Code == assessment.StepFormalise {
			formal = append(formal, s)
		}
	}
	require.Len(t, formal, 1, "one step for the four payments")
	assert.Contains(t, formal[0].Text, "4 payments, 1300.00 GBP in all")
	assert.True(t, amount(t, formal[0], assessment.AmountDiscretionary).Equal(coprod.MustParseAmount("1300", coprod.GBP)))
}

// TestFormaliseLargestFirst: within a blocker, the groups of
// discretionary payments to formalise come largest total first, whatever
// their text says ("10 payments" would sort before "2 payments").
func TestFormaliseLargestFirst(t *testing.T) {
	p := wandsworth(t)
	orig := txOf(t, p.txs, id(40))
	// Three more groups, in other scopes, of 2 × 25, 1 × 700 and 10 × 30.
	groups := []struct {
		scope  string
		n      int
		amount string
	}{{"a", 2, "25"}, {"b", 1, "700"}, {"c", 10, "30"}}
	for g, grp := range groups {
		for i := range grp.n {
			tx := orig
			tx.ID = uuid.NewSHA1(uuid.NameSpaceOID, []byte{byte(g), byte(i)})
			tx.Formality.Scope = orig.Formality.Scope + coprod.Scope("/"+grp.scope)
			tx.Postings = []ledger.Posting{
				{Account: orig.Postings[0].Account, Amount: coprod.MustParseAmount(grp.amount, coprod.GBP).Neg()},
				{Account: orig.Postings[1].Account, Amount: coprod.MustParseAmount(grp.amount, coprod.GBP)},
			}
			p.txs = append(p.txs, tx)
		}
	}
	res := assess(t, p, assessment.DefaultRubric())
	byBlocker := map[string][]coprod.Amount{}
	for _, s := range res.NextSteps {
		if s.Code == assessment.StepFormalise {
			byBlocker[s.Blocker] = append(byBlocker[s.Blocker], amount(t, s, assessment.AmountDiscretionary))
		}
	}
	require.NotEmpty(t, byBlocker)
	for blocker, totals := range byBlocker {
		require.Len(t, totals, 4, blocker)
		for i := 1; i < len(totals); i++ {
			c, err := totals[i-1].Cmp(totals[i])
			require.NoError(t, err)
			assert.GreaterOrEqual(t, c, 0, "%s: %s before %s", blocker, totals[i-1], totals[i])
		}
		assert.True(t, totals[len(totals)-1].Equal(coprod.MustParseAmount("50", coprod.GBP)), "the smallest group last: %v", totals)
	}
}

// txOf returns the transaction with ID want among txs, failing the test
// if there is none.
func txOf(t *testing.T, txs []ledger.Transaction, want uuid.UUID) ledger.Transaction {
	t.Helper()
	i := slices.IndexFunc(txs, func(tx ledger.Transaction) bool { return tx.ID == want })
	require.GreaterOrEqual(t, i, 0, "no transaction %v", want)
	return txs[i]
}
