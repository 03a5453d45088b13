package coprod_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/coprod/coprod"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func day(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }

func TestWindow(t *testing.T) {
	w := coprod.Window{NotBefore: day(10), Expires: day(20)}
	require.NoError(t, w.Validate())
	assert.False(t, w.Contains(day(9)))
	assert.True(t, w.Contains(day(10)), "start is inclusive")
	assert.True(t, w.Contains(day(19)))
	assert.False(t, w.Contains(day(20)), "expiry is exclusive")
	assert.True(t, w.Expired(day(20)))
	assert.True(t, coprod.Window{}.Contains(day(1)), "zero window is always")

	assert.True(t, coprod.Window{}.Covers(w))
	assert.False(t, w.Covers(coprod.Window{}))
	assert.True(t, w.Covers(coprod.Window{NotBefore: day(11), Expires: day(20)}))
	assert.False(t, w.Covers(coprod.Window{NotBefore: day(11), Expires: day(21)}))
	assert.False(t, w.Covers(coprod.Window{NotBefore: day(11)}))

	in, ok := w.Intersect(coprod.Window{NotBefore: day(15)})
	require.True(t, ok)
	assert.Equal(t, coprod.Window{NotBefore: day(15), Expires: day(20)}, in)
	_, ok = w.Intersect(coprod.Window{NotBefore: day(20)})
	assert.False(t, ok, "touching windows do not intersect")
	in, ok = coprod.Window{}.Intersect(w)
	require.True(t, ok)
	assert.Equal(t, w, in)

	assert.ErrorIs(t, coprod.Window{NotBefore: day(2), Expires: day(2)}.Validate(), coprod.ErrInvalidWindow)
	assert.Equal(t, "[2026-01-10T00:00:00Z, +∞)", coprod.Window{NotBefore: day(10)}.String())
}

func TestWindowJSON(t *testing.T) {
	w := coprod.Window{NotBefore: day(10), Expires: day(20)}
	b, err := json.Marshal(w)
	require.NoError(t, err)
	var back coprod.Window
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, back.NotBefore.Equal(w.NotBefore) && back.Expires.Equal(w.Expires))

	b, err = json.Marshal(coprod.Window{})
	require.NoError(t, err)
	assert.Equal(t, "{}", string(b))

	var bad coprod.Window
	err = json.Unmarshal([]byte(`{"not_before":"2026-01-20T00:00:00Z","expires":"2026-01-10T00:00:00Z"}`), &bad)
	assert.ErrorIs(t, err, coprod.ErrInvalidWindow)
}

func TestPartyAndSector(t *testing.T) {
	for _, s := range []coprod.Sector{coprod.Statutory, coprod.Community, coprod.Hub, coprod.ServiceUsers, coprod.Individual} {
		got, err := coprod.ParseSector(string(s))
		require.NoError(t, err)
		assert.Equal(t, s, got)
	}
	_, err := coprod.ParseSector("charity")
	assert.ErrorIs(t, err, coprod.ErrUnknownSector)
	assert.True(t, coprod.Hub.IsCommunity())
	assert.False(t, coprod.Individual.IsCommunity())
	assert.False(t, coprod.Statutory.IsCommunity())

	ok := coprod.Party{ID: [16]byte{1}, Name: "Hub", Sector: coprod.Hub}
	require.NoError(t, ok.Validate())
	for name, p := range map[string]coprod.Party{
		"nil id":     {Name: "x", Sector: coprod.Hub},
		"no name":    {ID: [16]byte{1}, Sector: coprod.Hub},
		"bad sector": {ID: [16]byte{1}, Name: "x", Sector: "guild"},
	} {
		assert.ErrorIs(t, p.Validate(), coprod.ErrInvalidParty, name)
	}
}
