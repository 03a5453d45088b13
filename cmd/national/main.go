// Command national measures coprod at national scale: a register of
// 10,000 parties and 100,000 delegations, and 10,000,000 transactions
// posted through a ledger with the register as its Authorizer and a
// journal on disk; then the journal is replayed into a fresh ledger,
// verified, the register checked and the partnership assessed. Each step
// prints its wall time, its CPU time (user and system, from getrusage),
// its rate, the heap in use after it and the peak heap during it, and the
// journal's size; the end compares the figures with the targets of the
// issue "national scale".
//
// Run it with:
//
//	go run ./cmd/national -quick          # 1,000,000 transactions, a tenth of the parties and delegations
//	go run ./cmd/national                 # 10,000,000 transactions: minutes, about 6.5 GB of memory and a 7 GB journal
//
// Flags: -tx N sets the number of transactions, -parties N and
// -delegations N the register's size; -dir names the journal's directory
// (the system's temporary directory by default), and -keep keeps the
// journal file, which is otherwise removed at exit; -cpuprofile FILE
// writes a CPU profile of the whole run. -noauthorizer posts and replays
// without the register as Authorizer, for comparison only: the measured
// run has every check on.
//
// The program uses only the library's public API. The library has no
// clock, no I/O and no goroutines; this program has all three: it reads
// the clock, writes and reads the journal file, samples the heap from a
// goroutine every 50 ms, and replays with a ledger.Replayer spread over
// goroutines of its own (a reader, one preparer per core, the applier).
//
// The targets it judges are the issue's: replay at least 500,000
// transactions a second, and under 60 s of CPU for the run beyond writing
// the journal file (steps 3 to 6; step 2, which writes it, is printed
// beside them, and posting has per-transaction targets of its own, in
// ledger's BenchmarkPostReference).
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/assessment"
	"github.com/coprod/coprod/governance"
	"github.com/coprod/coprod/ledger"
	"github.com/google/uuid"
)

// The targets.
const (
	targetReplayRate = 500_000          // transactions a second, unkeyed
	targetCPU        = 60 * time.Second // CPU of the 10M run beyond writing the file: steps 3 to 6
	targetTx         = 10_000_000       // the run the CPU target is for
)

func main() {
	cfg := config{Out: os.Stdout}
	quick := flag.Bool("quick", false, "1,000,000 transactions, 1,000 parties and 10,000 delegations (a tenth of the full run)")
	flag.IntVar(&cfg.Transactions, "tx", 0, "number of transactions (default 10,000,000, or 1,000,000 with -quick)")
	flag.IntVar(&cfg.Parties, "parties", 0, "number of parties (default 10,000, or 1,000 with -quick)")
	flag.IntVar(&cfg.Delegations, "delegations", 0, "number of delegations (default 100,000, or 10,000 with -quick)")
	flag.StringVar(&cfg.Dir, "dir", os.TempDir(), "directory of the journal file")
	flag.BoolVar(&cfg.Keep, "keep", false, "keep the journal file at exit")
	flag.BoolVar(&cfg.NoAuthorizer, "noauthorizer", false, "post without the register as the ledger's Authorizer, for comparison: no authority is checked and journal lines carry no proof")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to `file`")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "national: unexpected arguments %q\n", flag.Args())
		os.Exit(2)
	}
	scale := 1
	if *quick {
		scale = 10
	}
	if cfg.Transactions == 0 {
		cfg.Transactions = 10_000_000 / scale
	}
	if cfg.Parties == 0 {
		cfg.Parties = 10_000 / scale
	}
	if cfg.Delegations == 0 {
		cfg.Delegations = 100_000 / scale
	}
	if err := profiled(*cpuprofile, func() error { _, err := run(cfg); return err }); err != nil {
		fmt.Fprintln(os.Stderr, "national:", err)
		os.Exit(1)
	}
}

// profiled runs f, under a CPU profile written to path if path is set.
func profiled(path string, f func() error) (err error) {
	if path == "" {
		return f()
	}
	pf, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := pf.Close(); err == nil {
			err = cerr
		}
	}()
	if err := pprof.StartCPUProfile(pf); err != nil {
		return err
	}
	defer pprof.StopCPUProfile()
	return f()
}

// config is the size of a run and where its journal goes.
type config struct {
	Transactions int
	Parties      int
	Delegations  int
	Dir          string
	Keep         bool
	// NoAuthorizer posts, and replays, without the register as the
	// ledger's Authorizer: a comparison, not the measured run.
	NoAuthorizer bool
	Out          io.Writer
	// Sample is how often the heap is sampled; zero means every 50 ms.
	Sample time.Duration
}

// step is what one step measured.
type step struct {
	Name    string
	Records int64
	Wall    time.Duration
	User    time.Duration
	Sys     time.Duration
	// HeapAfter is the live heap after the step (after a collection made
	// once the step's clocks have stopped); PeakHeap the largest heap in
	// use, live or not yet collected, sampled during the step.
	HeapAfter uint64
	PeakHeap  uint64
	// File is the journal's size for the steps that write or read it.
	File int64
}

// CPU is the step's user and system time together.
func (s step) CPU() time.Duration { return s.User + s.Sys }

// ledgerState is what the program compares between the posted ledger and
// the replayed one: the journal head and a sample of balances.
type ledgerState struct {
	Head     ledger.Head
	Balances []string
}

// report is everything a run measured and found.
type report struct {
	Steps []step
	// The mix of transactions posted.
	Formal, Discretionary, Labour int
	Accounts                      int
	NoAuthorizer                  bool
	Posted, Replayed              ledgerState
	Verified                      ledger.Head
	Check                         governance.Report
	Assessment                    assessment.Result
}

func (r *report) step(name string) (step, bool) {
	for _, s := range r.Steps {
		if s.Name == name {
			return s, true
		}
	}
	return step{}, false
}

// The steps, in order.
const (
	stepRegister = "1 register"
	stepPost     = "2 post"
	stepReplay   = "3 replay"
	stepVerify   = "4 verify"
	stepCheck    = "5 check"
	stepAssess   = "6 assess"
)

var (
	t0 = time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC) // the start of the financial year the transactions fall in
	at = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC) // when the register is checked and the partnership assessed
)

// run builds, posts, replays, verifies, checks and assesses at cfg's
// size, prints the table and the targets to cfg.Out, and returns what it
// measured. The journal file is removed before it returns unless cfg.Keep.
func run(cfg config) (rep *report, err error) {
	if cfg.Transactions < 1 || cfg.Parties < 100 || cfg.Delegations < 10 {
		return nil, fmt.Errorf("need at least 1 transaction, 100 parties and 10 delegations, have %d, %d and %d",
			cfg.Transactions, cfg.Parties, cfg.Delegations)
	}
	if cfg.Out == nil {
		cfg.Out = io.Discard
	}
	if cfg.Sample <= 0 {
		cfg.Sample = 50 * time.Millisecond
	}
	fmt.Fprintf(cfg.Out, "coprod at national scale: %s parties, %s delegations, %s transactions\n",
		thousands(int64(cfg.Parties)), thousands(int64(cfg.Delegations)), thousands(int64(cfg.Transactions)))
	if cfg.NoAuthorizer {
		fmt.Fprintln(cfg.Out, "-noauthorizer: posted and replayed WITHOUT the register as Authorizer (a comparison run: no authority checked, no proofs journaled)")
	}
	fmt.Fprintf(cfg.Out, "%s %s/%s, %d CPUs, GOMAXPROCS %d, GOGC %s, GOMEMLIMIT %s", runtime.Version(), runtime.GOOS, runtime.GOARCH,
		runtime.NumCPU(), runtime.GOMAXPROCS(0), envOr("GOGC", "100"), memLimit())
	if l := loadAverage(); l != "" {
		fmt.Fprintf(cfg.Out, ", load average %s", l)
	}
	fmt.Fprint(cfg.Out, "\n\n")

	f, err := os.CreateTemp(cfg.Dir, "coprod-national-*.journal")
	if err != nil {
		return nil, err
	}
	path := f.Name()
	defer func() {
		if cerr := f.Close(); cerr != nil && !errors.Is(cerr, os.ErrClosed) && err == nil {
			err = cerr
		}
		if cfg.Keep {
			fmt.Fprintf(cfg.Out, "journal kept: %s\n", path)
			return
		}
		if rerr := os.Remove(path); rerr != nil && err == nil {
			err = rerr
		}
	}()

	m := newMeter(cfg.Sample)
	defer m.stop()
	rep = &report{NoAuthorizer: cfg.NoAuthorizer}
	defer func() {
		if err != nil && len(rep.Steps) > 0 {
			rep.printSteps(cfg.Out) // what was measured before the error
		}
	}()

	// 1. The register.
	var p *partnership
	s, err := m.measure(stepRegister, func() (int64, error) {
		var err error
		p, err = buildRegister(cfg)
		if err != nil {
			return 0, err
		}
		return int64(p.records), nil
	})
	rep.Steps = append(rep.Steps, s)
	if err != nil {
		return rep, err
	}

	// 2. Post every transaction through a ledger that asks the register
	// and writes the journal to the file.
	var posted *ledger.Ledger
	s, err = m.measure(stepPost, func() (int64, error) {
		var err error
		posted, err = p.post(cfg.Transactions, f, p.authorizer(cfg), rep)
		if err != nil {
			return 0, err
		}
		return int64(posted.Head().Seq), nil
	})
	if err == nil {
		s.File, err = size(f)
	}
	rep.Steps = append(rep.Steps, s)
	if err != nil {
		return rep, err
	}
	rep.Posted, err = p.state(posted)
	if err != nil {
		return rep, err
	}
	// One ledger at a time: the posted one goes before the replay.
	posted = nil
	runtime.GC()

	// 3. Replay the journal into a fresh ledger.
	var replayed *ledger.Ledger
	s, err = m.measure(stepReplay, func() (int64, error) {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return 0, err
		}
		var err error
		replayed, err = replay(f, ledger.Options{Authorizer: p.authorizer(cfg)})
		if err != nil {
			return 0, err
		}
		return int64(replayed.Head().Seq), nil
	})
	s.File = rep.Steps[1].File
	rep.Steps = append(rep.Steps, s)
	if err != nil {
		return rep, err
	}
	rep.Replayed, err = p.state(replayed)
	if err != nil {
		return rep, err
	}
	if !rep.Replayed.equal(rep.Posted) {
		return rep, fmt.Errorf("the replayed ledger differs from the posted one: head %+v, balances %v; posted head %+v, balances %v",
			rep.Replayed.Head, rep.Replayed.Balances, rep.Posted.Head, rep.Posted.Balances)
	}

	// 4. Verify the journal.
	s, err = m.measure(stepVerify, func() (int64, error) {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return 0, err
		}
		var err error
		rep.Verified, err = ledger.Verify(f, nil)
		if err != nil {
			return 0, err
		}
		return int64(rep.Verified.Seq), nil
	})
	s.File = rep.Steps[1].File
	rep.Steps = append(rep.Steps, s)
	if err != nil {
		return rep, err
	}
	if rep.Verified != rep.Posted.Head {
		return rep, fmt.Errorf("verify ends at %+v, the posted ledger at %+v", rep.Verified, rep.Posted.Head)
	}

	// 5. Check the register.
	s, err = m.measure(stepCheck, func() (int64, error) {
		rep.Check = p.reg.Check(at)
		return int64(p.records), nil
	})
	rep.Steps = append(rep.Steps, s)
	if err != nil {
		return rep, err
	}

	// 6. Assess the partnership from the register and the replayed ledger.
	s, err = m.measure(stepAssess, func() (int64, error) {
		var err error
		rep.Assessment, err = assessment.Assess(assessment.DefaultRubric(), assessment.Input{Register: p.reg, Ledger: replayed, At: at})
		return int64(cfg.Transactions), err
	})
	rep.Steps = append(rep.Steps, s)
	if err != nil {
		return rep, err
	}

	rep.print(cfg.Out, cfg.Transactions)
	runtime.KeepAlive(replayed) // so that the heap after step 6 counts the ledger assessed
	return rep, nil
}

// replay rebuilds the ledger from its journal with a ledger.Replayer,
// spreading the work over the machine's cores: one goroutine reads the
// journal's runs of lines, one per core checks and decodes them
// (Prepare), several runs at once, and this one applies them in the
// order they were read. ledger.Replay does the same on one goroutine.
func replay(r io.Reader, opts ledger.Options) (*ledger.Ledger, error) {
	rp := ledger.NewReplayer(r, opts)
	type item struct {
		run      *ledger.ReplayRun
		prepared chan struct{} // closed once the run is prepared
	}
	preparers := runtime.GOMAXPROCS(0)
	work := make(chan item, 2*preparers)
	ordered := make(chan item, 2*preparers)
	for range preparers {
		go func() {
			for it := range work {
				it.run.Prepare()
				close(it.prepared)
			}
		}()
	}
	go func() {
		defer close(work)
		defer close(ordered)
		for {
			run, err := rp.Read()
			if err != nil { // io.EOF: the journal's last run was read
				return
			}
			it := item{run, make(chan struct{})}
			ordered <- it
			work <- it
		}
	}()
	var err error
	for it := range ordered {
		<-it.prepared
		if err == nil {
			err = rp.Apply(it.run)
		}
	}
	if err != nil {
		return nil, err
	}
	return rp.Ledger()
}

func (s ledgerState) equal(o ledgerState) bool {
	if s.Head != o.Head || len(s.Balances) != len(o.Balances) {
		return false
	}
	for i := range s.Balances {
		if s.Balances[i] != o.Balances[i] {
			return false
		}
	}
	return true
}

func size(f *os.File) (int64, error) {
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// partnership is the synthetic partnership: the register and the IDs the
// transactions are made of.
type partnership struct {
	reg     *governance.Register
	records int // records in the register

	bodies   []coprod.PartyID   // statutory bodies
	officers [][]coprod.PartyID // per body, the officers acting for it
	orgs     []coprod.PartyID   // community-side organisations: hubs, community, service-user groups, large providers
	hubs     []int              // indexes into orgs

	// Per delegation: its ID, scope, the body at its root, and the index
	// in orgs of its holder.
	dIDs    []uuid.UUID
	dScopes []coprod.Scope
	dBody   []int
	dHolder []int
}

// Record kinds, the first byte of each ID.
const (
	kParty byte = iota + 1
	kMandate
	kDelegation
	kActivity
	kActing
	kBudget   // a body's budget account
	kBodyMemo // a body's memorandum account of hours received
	kCash     // an organisation's cash account
	kOrgMemo  // an organisation's memorandum account of hours given
	kTx
)

func id(kind byte, i int) uuid.UUID {
	return uuid.UUID{0: kind, 6: 0x40, 8: 0x80, 12: byte(i >> 24), 13: byte(i >> 16), 14: byte(i >> 8), 15: byte(i)}
}

func gbp(pounds int64) coprod.Amount {
	a, err := coprod.FromMinor(pounds*100, coprod.GBP)
	if err != nil {
		panic(err) // GBP is a defined unit
	}
	return a
}

// buildRegister builds the register: a few statutory bodies, each with a
// mandate and officers acting for it; hubs, each with a director acting
// for it; community organisations, service-user groups, large providers
// and individual volunteers. A tenth of the delegations go from a body to
// a hub, which may sub-delegate, and a tenth on from the hub to a
// community organisation; the rest go from a body straight to a
// community-side organisation. Every scope is commission/sN/dM (a
// sub-delegation's one segment deeper). Hub delegations, their
// sub-delegations and every fourth direct delegation carry a cumulative
// limit per financial year, large enough never to refuse. One activity for
// every ten parties gives a direct delegation's holder the work of its
// scope, accountable to the body, with a service-user group consulted.
func buildRegister(cfg config) (*partnership, error) {
	reg := governance.NewRegister()
	p := &partnership{reg: reg}
	n := cfg.Parties
	nBodies := min(8, max(2, n/100))
	nHubs := max(1, n/100)
	nCommunity := n * 39 / 100
	nUsers := n / 10
	nProviders := max(1, n/100)
	nIndividuals := n - nBodies - nHubs - nCommunity - nUsers - nProviders
	perBody := min(20, nIndividuals/(4*nBodies))
	if perBody < 1 || nIndividuals < nBodies*perBody+nHubs {
		return nil, fmt.Errorf("%d parties are too few", n)
	}

	next := 0
	party := func(name string, sector coprod.Sector) (coprod.PartyID, error) {
		pid := id(kParty, next)
		next++
		p.records++
		return pid, reg.AddParty(coprod.Party{ID: pid, Name: name, Sector: sector})
	}
	act := func(person, org coprod.PartyID, role governance.ActingRole) error {
		p.records++
		return reg.ActFor(governance.ActingFor{ID: id(kActing, p.records), Person: person, For: org, Role: role})
	}
	bases := []string{"Care Act 2014 s.1", "NHS Act 2006 s.3", "Children Act 1989 s.17", "Health and Care Act 2022 s.21"}
	for b := range nBodies {
		body, err := party(fmt.Sprintf("Statutory body %d", b+1), coprod.Statutory)
		if err != nil {
			return nil, err
		}
		p.bodies = append(p.bodies, body)
		p.records++
		if err := reg.AddMandate(governance.Mandate{ID: id(kMandate, b), Holder: body, Scope: "commission",
			Basis: bases[b%len(bases)], Reserved: []governance.Scope{"commission/capital"},
			TransactionLimit: gbp(500_000), JointThreshold: gbp(250_000), MaxDepth: 2}); err != nil {
			return nil, err
		}
	}
	for b, body := range p.bodies {
		var officers []coprod.PartyID
		for k := range perBody {
			o, err := party(fmt.Sprintf("Officer %d of statutory body %d", k+1, b+1), coprod.Individual)
			if err != nil {
				return nil, err
			}
			if err := act(o, body, governance.RoleOfficer); err != nil {
				return nil, err
			}
			officers = append(officers, o)
		}
		p.officers = append(p.officers, officers)
	}
	org := func(name string, sector coprod.Sector) (coprod.PartyID, error) {
		o, err := party(name, sector)
		p.orgs = append(p.orgs, o)
		return o, err
	}
	for h := range nHubs {
		hub, err := org(fmt.Sprintf("Hub %d", h+1), coprod.Hub)
		if err != nil {
			return nil, err
		}
		p.hubs = append(p.hubs, len(p.orgs)-1)
		director, err := party(fmt.Sprintf("Director of hub %d", h+1), coprod.Individual)
		if err != nil {
			return nil, err
		}
		if err := act(director, hub, governance.RoleDirector); err != nil {
			return nil, err
		}
	}
	// grass are the indexes in orgs of the organisations that are not hubs.
	var grass, users []int
	for _, g := range []struct {
		n      int
		name   string
		sector coprod.Sector
	}{
		{nCommunity, "Community organisation", coprod.Community},
		{nUsers, "Service-user group", coprod.ServiceUsers},
		{nProviders, "Large provider", coprod.LargeProvider},
	} {
		for k := range g.n {
			if _, err := org(fmt.Sprintf("%s %d", g.name, k+1), g.sector); err != nil {
				return nil, err
			}
			grass = append(grass, len(p.orgs)-1)
			if g.sector == coprod.ServiceUsers {
				users = append(users, len(p.orgs)-1)
			}
		}
	}
	for next < n {
		if _, err := party(fmt.Sprintf("Volunteer %d", next), coprod.Individual); err != nil {
			return nil, err
		}
	}

	window := coprod.Window{NotBefore: t0, Expires: t0.AddDate(3, 0, 0)}
	direct := 0
	for i := range cfg.Delegations {
		b := (i / 10) % nBodies
		d := governance.Delegation{ID: id(kDelegation, i), Parent: id(kMandate, b), From: p.bodies[b],
			Scope:            coprod.Scope(fmt.Sprintf("commission/s%d/d%d", i%100, i)),
			Instrument:       fmt.Sprintf("Scheme of delegation 2025, s.%d", i%50+1),
			TransactionLimit: gbp(50_000), JointThreshold: gbp(50_000), Window: window}
		holder := 0
		switch {
		case i%10 == 0: // to a hub, which may delegate on
			holder = p.hubs[(i/10)%nHubs]
			d.TransactionLimit, d.CumulativeLimit, d.Period = gbp(100_000), gbp(1_000_000_000), governance.PeriodFinancialYear
			d.MaySubDelegate, d.MaxDepth = true, 1
		case i%10 == 1 && i+1 < cfg.Delegations: // from that hub on to a community organisation
			parent := i - 1
			holder = grass[(i/10)%len(grass)]
			d.Parent, d.From = p.dIDs[parent], p.orgs[p.dHolder[parent]]
			d.Scope = coprod.Scope(fmt.Sprintf("%s/d%d", p.dScopes[parent], i))
			d.Instrument = fmt.Sprintf("Hub %d partner agreement", (i/10)%nHubs+1)
			d.TransactionLimit, d.JointThreshold = gbp(25_000), gbp(25_000)
			d.CumulativeLimit, d.Period = gbp(500_000_000), governance.PeriodFinancialYear
		default: // straight from the body to a community-side organisation
			holder = grass[direct%len(grass)]
			if direct%4 == 0 {
				d.CumulativeLimit, d.Period = gbp(250_000_000), governance.PeriodFinancialYear
			}
			direct++
		}
		d.To = p.orgs[holder]
		p.records++
		if err := reg.Delegate(d); err != nil {
			return nil, err
		}
		p.dIDs = append(p.dIDs, d.ID)
		p.dScopes = append(p.dScopes, d.Scope)
		p.dBody = append(p.dBody, b)
		p.dHolder = append(p.dHolder, holder)
	}

	cos := governance.AllCos()
	for k := range n / 10 {
		i := (k*10 + 2) % cfg.Delegations // a direct delegation
		b := p.dBody[i]
		p.records++
		if err := reg.AddActivity(governance.Activity{ID: id(kActivity, k), Name: fmt.Sprintf("Service %d", k+1),
			Scope: p.dScopes[i], Cos: []governance.Co{cos[k%len(cos)]},
			Responsible: []coprod.PartyID{p.orgs[p.dHolder[i]]}, Accountable: []coprod.PartyID{p.bodies[b]},
			Consulted: []coprod.PartyID{p.orgs[users[k%len(users)]]}}); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// authorizer is the ledgers' Authorizer: the register, unless the run is
// a comparison without one.
func (p *partnership) authorizer(cfg config) ledger.Authorizer {
	if cfg.NoAuthorizer {
		return nil
	}
	return p.reg
}

// accounts are the ledger's accounts: a budget and a memorandum account of
// hours received for each body, and cash and a memorandum account of hours
// given for each organisation.
func (p *partnership) accounts() []ledger.Account {
	var out []ledger.Account
	for b, body := range p.bodies {
		out = append(out,
			ledger.Account{ID: id(kBudget, b), Owner: body, Name: fmt.Sprintf("Commissioning budget %d", b+1), Kind: ledger.Budget, Unit: coprod.GBP},
			ledger.Account{ID: id(kBodyMemo, b), Owner: body, Name: fmt.Sprintf("Hours received %d", b+1), Kind: ledger.MemoLabour, Unit: coprod.Hours})
	}
	for k, o := range p.orgs {
		out = append(out,
			ledger.Account{ID: id(kCash, k), Owner: o, Name: fmt.Sprintf("Bank %d", k+1), Kind: ledger.Cash, Unit: coprod.GBP},
			ledger.Account{ID: id(kOrgMemo, k), Owner: o, Name: fmt.Sprintf("Hours given %d", k+1), Kind: ledger.MemoLabour, Unit: coprod.Hours})
	}
	return out
}

// sampled are the accounts whose balances are compared between the posted
// and the replayed ledger: every body's two and the first and last
// organisations' two.
func (p *partnership) sampled() []uuid.UUID {
	var out []uuid.UUID
	for b := range p.bodies {
		out = append(out, id(kBudget, b), id(kBodyMemo, b))
	}
	for k := range p.orgs {
		if k < 8 || k >= len(p.orgs)-8 {
			out = append(out, id(kCash, k), id(kOrgMemo, k))
		}
	}
	return out
}

func (p *partnership) state(l *ledger.Ledger) (ledgerState, error) {
	s := ledgerState{Head: l.Head()}
	for _, a := range p.sampled() {
		bal, err := l.Balance(a)
		if err != nil {
			return s, err
		}
		s.Balances = append(s.Balances, bal.String())
	}
	return s, nil
}

// post opens the accounts and posts n transactions, in recorded-time order
// across one financial year, through a ledger that asks the register for
// every financial record and journals to f through a large buffer, which
// is flushed and the file synced at the end. One in twenty transactions is
// unpaid labour an organisation gives a body; of the rest, those with an
// even number are formal: made by a delegation's holder under it, paying
// another organisation out of the root body's budget (one in five core
// funding, one in five a contract); those with an odd number are
// discretionary: an officer pays an organisation out of the budget of the
// body they act for.
func (p *partnership) post(n int, f *os.File, auth ledger.Authorizer, rep *report) (*ledger.Ledger, error) {
	w := bufio.NewWriterSize(f, 8<<20)
	l := ledger.New(ledger.Options{Authorizer: auth, Journal: w})
	for _, a := range p.accounts() {
		if err := l.Open(a); err != nil {
			return nil, err
		}
		rep.Accounts++
	}

	amounts := make([]coprod.Amount, 1009)
	for k := range amounts {
		a, err := coprod.FromMinor(int64(5_000+k*197), coprod.GBP) // £50.00 to about £2,037
		if err != nil {
			return nil, err
		}
		amounts[k] = a
	}
	labours := make([]ledger.Labour, 8)
	for k := range labours {
		h, err := coprod.FromMinor(int64(k+1)*100, coprod.Hours)
		if err != nil {
			return nil, err
		}
		labours[k] = ledger.Labour{Hours: h, Method: ledger.ReplacementCost, Rate: coprod.MustParseAmount("15.00", coprod.GBP),
			Low: coprod.MustParseAmount("12.21", coprod.GBP), High: coprod.MustParseAmount("21.00", coprod.GBP), WageSource: "National Living Wage to AfC band 4"}
	}
	services := make([]coprod.Scope, 100)
	for k := range services {
		services[k] = coprod.Scope(fmt.Sprintf("commission/s%d", k))
	}

	span := 347 * 24 * time.Hour // inside the financial year from t0
	gap := span / time.Duration(n)
	postings := make([]ledger.Posting, 2) // the ledger keeps a copy
	for i := range n {
		when := t0.Add(time.Duration(i) * gap)
		tx := ledger.Transaction{ID: id(kTx, i), Effective: when, Recorded: when, Postings: postings}
		switch {
		case i%20 == 19:
			k := (i / 20) % len(p.orgs)
			lab := &labours[i%len(labours)]
			tx.Kind, tx.Labour = ledger.UnpaidLabour, lab
			tx.Formality = ledger.Formality{DecidedBy: p.orgs[k]}
			postings[0] = ledger.Posting{Account: id(kOrgMemo, k), Amount: lab.Hours.Neg()}
			postings[1] = ledger.Posting{Account: id(kBodyMemo, i%len(p.bodies)), Amount: lab.Hours}
			rep.Labour++
		case i%2 == 0:
			d := (i / 2) % len(p.dIDs)
			to := (p.dHolder[d] + 1 + i%97) % len(p.orgs) // another organisation than the holder
			if to == p.dHolder[d] {
				to = (to + 1) % len(p.orgs)
			}
			tx.Kind = ledger.Grant
			switch i % 10 {
			case 0:
				tx.Kind = ledger.CoreFunding
			case 4:
				tx.Kind = ledger.Contract
			}
			tx.Coverage = ledger.FullCost
			if i%3 == 0 {
				tx.Coverage = ledger.DirectCosts
			}
			tx.Formality = ledger.Formality{Instrument: p.dIDs[d], Scope: p.dScopes[d], DecidedBy: p.orgs[p.dHolder[d]]}
			amount := amounts[i%len(amounts)]
			postings[0] = ledger.Posting{Account: id(kBudget, p.dBody[d]), Amount: amount.Neg()}
			postings[1] = ledger.Posting{Account: id(kCash, to), Amount: amount}
			rep.Formal++
		default:
			b := i % len(p.bodies)
			officers := p.officers[b]
			to := (i / 2) % len(p.orgs)
			tx.Kind = ledger.ProjectFunding
			tx.Formality = ledger.Formality{Scope: services[i%len(services)], DecidedBy: officers[(i/len(p.bodies))%len(officers)]}
			amount := amounts[(i/3)%len(amounts)]
			postings[0] = ledger.Posting{Account: id(kBudget, b), Amount: amount.Neg()}
			postings[1] = ledger.Posting{Account: id(kCash, to), Amount: amount}
			rep.Discretionary++
		}
		if _, err := l.Post(tx); err != nil {
			return nil, fmt.Errorf("transaction %d: %w", i, err)
		}
	}
	if err := w.Flush(); err != nil {
		return nil, err
	}
	if err := f.Sync(); err != nil {
		return nil, err
	}
	return l, l.Err()
}

// meter times steps and samples the heap.
type meter struct {
	peak  atomic.Uint64
	quit  chan struct{}
	done  sync.WaitGroup
	once  sync.Once
	every time.Duration
}

const heapObjects = "/memory/classes/heap/objects:bytes"

// heapInUse is the heap occupied by objects, live or not yet swept:
// runtime.MemStats.HeapAlloc, read without stopping the world.
func heapInUse() uint64 {
	s := []metrics.Sample{{Name: heapObjects}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func newMeter(every time.Duration) *meter {
	m := &meter{quit: make(chan struct{}), every: every}
	m.done.Add(1)
	go func() {
		defer m.done.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-m.quit:
				return
			case <-t.C:
				m.note()
			}
		}
	}()
	return m
}

func (m *meter) note() {
	h := heapInUse()
	for {
		old := m.peak.Load()
		if h <= old || m.peak.CompareAndSwap(old, h) {
			return
		}
	}
}

func (m *meter) stop() {
	m.once.Do(func() { close(m.quit); m.done.Wait() })
}

// measure runs f as one step: its wall and CPU time, the peak heap during
// it, and the live heap after it, read after a collection made once the
// clocks have stopped. f returns the records the step handled.
func (m *meter) measure(name string, f func() (int64, error)) (step, error) {
	m.peak.Store(heapInUse())
	u0, s0 := cpuTimes()
	start := time.Now()
	records, err := f()
	s := step{Name: name, Records: records, Wall: time.Since(start)}
	u1, s1 := cpuTimes()
	s.User, s.Sys = u1-u0, s1-s0
	m.note()
	s.PeakHeap = m.peak.Load()
	runtime.GC()
	s.HeapAfter = heapInUse()
	return s, err
}

// print writes the table, what the run found and the targets.
func (r *report) print(w io.Writer, transactions int) {
	r.printSteps(w)
	r.printSummary(w, transactions)
}

// printSteps writes the table of the steps measured.
func (r *report) printSteps(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "step\trecords\twall\tCPU\trecords/s\trecords/CPU s\theap after\tpeak heap\tjournal\t")
	for _, s := range r.Steps {
		file := "-"
		if s.File > 0 {
			file = bytesize(uint64(s.File))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", s.Name, thousands(s.Records), secs(s.Wall), secs(s.CPU()),
			rate(s.Records, s.Wall), rate(s.Records, s.CPU()), bytesize(s.HeapAfter), bytesize(s.PeakHeap), file)
	}
	tw.Flush()
	fmt.Fprintln(w, "records: register records (parties, mandates, delegations, acting-for, activities) for steps 1 and 5; journal lines (accounts opened and transactions) for steps 2 to 4; transactions assessed for step 6.")
	fmt.Fprintln(w, "CPU: user+sys from getrusage (the garbage collector's work on the second core included); records/s: per wall second;")
	fmt.Fprintln(w, "heap after: live heap after a collection; peak heap: largest heap in use, live or garbage, sampled every 50 ms.")
	if l := loadAverage(); l != "" {
		fmt.Fprintf(w, "load average at the end: %s (other work on the machine stretches wall times, not CPU times)\n", l)
	}
	fmt.Fprintln(w)
}

// printSummary writes what the run found, the CPU counted and the targets.
func (r *report) printSummary(w io.Writer, transactions int) {
	pct := func(k int) string { return fmt.Sprintf("%.1f%%", 100*float64(k)/float64(transactions)) }
	authorised := "every financial one authorised by the register"
	if r.NoAuthorizer {
		authorised = "WITHOUT an Authorizer"
	}
	fmt.Fprintf(w, "posted: %s transactions, %s: %s formal (%s), %s discretionary (%s), %s unpaid labour (%s); %s accounts\n",
		thousands(int64(transactions)), authorised, thousands(int64(r.Formal)), pct(r.Formal), thousands(int64(r.Discretionary)), pct(r.Discretionary),
		thousands(int64(r.Labour)), pct(r.Labour), thousands(int64(r.Accounts)))
	fmt.Fprintf(w, "replayed: head %d %.16s… equal to the posted ledger's, and %d sampled balances equal; verify ends at the same head\n",
		r.Replayed.Head.Seq, r.Replayed.Head.Hash, len(r.Replayed.Balances))
	fmt.Fprintf(w, "check: %s findings (%s errors, %s warnings, %s notes)\n", thousands(int64(len(r.Check.Findings))),
		thousands(int64(r.Check.Count(governance.SeverityError))), thousands(int64(r.Check.Count(governance.SeverityWarning))),
		thousands(int64(r.Check.Count(governance.SeverityInfo))))
	a := r.Assessment
	fmt.Fprintf(w, "assessment: level %d %s (ceiling %s, practice %s), %d blockers, %d party levels, %d next steps\n",
		a.Level.Position, a.Level.Name, a.Ceiling.Name, a.Practice.Name, len(a.Blockers), len(a.Parties), len(a.NextSteps))
	fmt.Fprintln(w)

	cpu := map[string]time.Duration{}
	for _, s := range r.Steps {
		cpu[s.Name] = s.CPU()
	}
	post, _ := r.step(stepPost)
	after := cpu[stepReplay] + cpu[stepVerify] + cpu[stepCheck] + cpu[stepAssess]
	total := after + post.CPU()
	authorising := "authorising each through the register, "
	if r.NoAuthorizer {
		authorising = "(no authority asked) "
	}
	fmt.Fprintln(w, "CPU (user+sys); the target counts steps 3-6, the run beyond writing the file:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  step 2, post\t%s\tuser %s, sys %s: making the transactions, %srecording them,\n", secs(post.CPU()), secs(post.User), secs(post.Sys), authorising)
	fmt.Fprintf(tw, "  \t\tencoding and writing the journal (sys: mostly the file's writes and sync, and the heap's growth)\n")
	fmt.Fprintf(tw, "  steps 3-6\t%s\treplay %s, verify %s, check %s, assess %s: counted for the target\n", secs(after),
		secs(cpu[stepReplay]), secs(cpu[stepVerify]), secs(cpu[stepCheck]), secs(cpu[stepAssess]))
	fmt.Fprintf(tw, "  total, steps 2-6\t%s\n", secs(total))
	fmt.Fprintf(tw, "  not counted\t%s\tstep 1, building the register; and the collections the program forces between steps\n", secs(cpu[stepRegister]))
	tw.Flush()
	fmt.Fprintln(w)

	replay, _ := r.step(stepReplay)
	wallRate := float64(transactions) / replay.Wall.Seconds()
	cpuRate := float64(transactions) / replay.CPU().Seconds()
	// The target is the CPU of the run beyond writing the file, which
	// step 2 does: posting has targets of its own, per transaction
	// (BenchmarkPostReference). Steps 2-6 are printed beside it.
	judged := verdict(after < targetCPU)
	if transactions != targetTx {
		judged = fmt.Sprintf("not judged: the target is for %s transactions", thousands(targetTx))
	}
	fmt.Fprintln(w, "targets (issue: national scale):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  \ttarget\tmeasured")
	fmt.Fprintf(tw, "  replay, unkeyed\t≥ %s tx/s\t%s tx/s (wall), %s tx/s (CPU)\t%s\n", thousands(targetReplayRate),
		thousands(int64(wallRate)), thousands(int64(cpuRate)), verdict(wallRate >= targetReplayRate))
	fmt.Fprintf(tw, "  CPU beyond writing the file\t< %s\t%s (steps 3-6; with step 2, which writes it, %s)\t%s\n", secs(targetCPU), secs(after), secs(total), judged)
	tw.Flush()
	if rss := maxRSS(); rss > 0 {
		fmt.Fprintf(w, "max resident set of the process: %s\n", bytesize(rss))
	}
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT MET"
}

func rate(n int64, d time.Duration) string {
	if d <= 0 {
		return "-"
	}
	return thousands(int64(float64(n) / d.Seconds()))
}

// loadAverage is the system's load average, where /proc says it.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

func bytesize(b uint64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%.1f KiB", float64(b)/(1<<10))
}

// thousands formats n with commas between thousands.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func memLimit() string {
	limit := debug.SetMemoryLimit(-1) // reads the limit without changing it
	if limit == 1<<63-1 {
		return "off"
	}
	return bytesize(uint64(limit))
}
