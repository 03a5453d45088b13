package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestRunSmall runs every step at a small size and checks that each ran,
// that the replayed ledger is the posted one, and that the journal file is
// removed.
func TestRunSmall(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	const n = 20_000
	rep, err := run(config{Transactions: n, Parties: 200, Delegations: 2_000, Dir: dir, Out: &out})
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}

	want := []string{stepRegister, stepPost, stepReplay, stepVerify, stepCheck, stepAssess}
	if len(rep.Steps) != len(want) {
		t.Fatalf("%d steps, want %d: %+v", len(rep.Steps), len(want), rep.Steps)
	}
	for i, s := range rep.Steps {
		if s.Name != want[i] {
			t.Errorf("step %d is %q, want %q", i+1, s.Name, want[i])
		}
		if s.Records <= 0 || s.Wall <= 0 || s.PeakHeap == 0 || s.HeapAfter == 0 {
			t.Errorf("step %s measured nothing: %+v", s.Name, s)
		}
		if !strings.Contains(out.String(), s.Name) {
			t.Errorf("the table has no row for %s", s.Name)
		}
	}
	post, _ := rep.step(stepPost)
	if post.File <= 0 {
		t.Errorf("journal size %d", post.File)
	}

	if got := rep.Formal + rep.Discretionary + rep.Labour; got != n || rep.Formal == 0 || rep.Discretionary == 0 || rep.Labour == 0 {
		t.Errorf("posted %d formal, %d discretionary, %d labour: want %d of all three kinds", rep.Formal, rep.Discretionary, rep.Labour, n)
	}
	if rep.Posted.Head.Seq != rep.Accounts+n {
		t.Errorf("posted head at line %d, want %d accounts and %d transactions", rep.Posted.Head.Seq, rep.Accounts, n)
	}
	if !rep.Replayed.equal(rep.Posted) {
		t.Errorf("replayed %+v, posted %+v", rep.Replayed, rep.Posted)
	}
	if len(rep.Posted.Balances) == 0 || rep.Posted.Balances[0] == rep.Posted.Balances[len(rep.Posted.Balances)-1] {
		t.Errorf("sampled balances say little: %v", rep.Posted.Balances)
	}
	if rep.Verified != rep.Posted.Head {
		t.Errorf("verified %+v, posted %+v", rep.Verified, rep.Posted.Head)
	}
	if rep.Assessment.Level.Position == 0 || len(rep.Assessment.Parties) == 0 {
		t.Errorf("assessment reached no level or no party levels: %+v", rep.Assessment.Level)
	}
	for _, s := range []string{"replay, unkeyed", "CPU beyond writing the file", "steps 3-6"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("output lacks %q", s)
		}
	}

	left, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Errorf("journal not removed: %v", left)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 10_000_000: "10,000,000", -1234: "-1,234"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
