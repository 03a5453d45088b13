package ledger

import (
	"testing"
	"time"
)

// FuzzUTCTime holds utcTime to time.Time.UnmarshalJSON: whatever the fast
// path reads, the general parser reads to the same value, with the same
// representation (location included).
func FuzzUTCTime(f *testing.F) {
	for _, s := range []string{
		"2025-04-17T03:15:07.2Z", "2025-04-17T03:15:07Z", "2024-02-29T23:59:59.999999999Z",
		"2025-02-29T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2025-04-17T03:15:07.Z",
		"2025-04-17T03:15:07.1234567890Z", "2025-04-17T03:15:07+01:00", "2025-13-01T00:00:00Z",
		"2025-04-31T00:00:00Z", "2025-04-17T24:00:00Z", "2025-04-17T03:60:00Z", "2025-04-17T03:15:60Z",
		"2025-04-17t03:15:07Z", "2025-04-17T03:15:07z", "-025-04-17T03:15:07Z", "2025-04-17T03:15:07,5Z",
		"1900-02-29T00:00:00Z", "2000-02-29T00:00:00Z", "2025-00-10T00:00:00Z", "2025-01-00T00:00:00Z",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fast, ok := utcTime([]byte(s))
		var slow time.Time
		err := slow.UnmarshalJSON([]byte(`"` + s + `"`))
		if !ok {
			return // declined: the general parser decides
		}
		if err != nil {
			t.Fatalf("utcTime(%q) = %v; UnmarshalJSON refuses it: %v", s, fast, err)
		}
		if fast != slow {
			t.Fatalf("utcTime(%q) = %#v; UnmarshalJSON gives %#v", s, fast, slow)
		}
	})
}

// TestUTCTimeReadsTheJournalsForm checks the fast path takes what the
// encoder writes: every fraction length, and whole seconds.
func TestUTCTimeReadsTheJournalsForm(t *testing.T) {
	base := time.Date(2025, 4, 17, 3, 15, 7, 0, time.UTC)
	for _, ns := range []int{0, 200_000_000, 120_000_000, 123_456_789, 1, 999_999_999, 100} {
		tm := base.Add(time.Duration(ns))
		b, err := tm.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		got, ok := utcTime(b[1 : len(b)-1])
		if !ok || got != tm {
			t.Fatalf("utcTime(%s) = %v, %v; want %v", b, got, ok, tm)
		}
	}
}

// BenchmarkTime reads the journal's time form with the fast path and with
// time.Time.UnmarshalJSON, in one run.
func BenchmarkTime(b *testing.B) {
	s := []byte(`"2025-04-17T03:15:07.2Z"`)
	b.Run("utcTime", func(b *testing.B) {
		for b.Loop() {
			if _, ok := utcTime(s[1 : len(s)-1]); !ok {
				b.Fatal("declined")
			}
		}
	})
	b.Run("UnmarshalJSON", func(b *testing.B) {
		var t time.Time
		for b.Loop() {
			if err := t.UnmarshalJSON(s); err != nil {
				b.Fatal(err)
			}
		}
	})
}
