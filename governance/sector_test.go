package governance_test

import (
	"testing"

	"github.com/coprod/coprod"
	"github.com/coprod/coprod/governance"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRegisterSector(t *testing.T) {
	r := governance.NewRegister()
	parties := []coprod.Party{
		{ID: id("sec-council"), Name: "Council", Sector: coprod.Statutory},
		{ID: id("sec-foundation"), Name: "Foundation", Sector: coprod.IndependentFunder},
		{ID: id("sec-charity"), Name: "National charity", Sector: coprod.LargeProvider},
		{ID: id("sec-temple"), Name: "Temple", Sector: coprod.Community},
	}
	for _, p := range parties {
		require.NoError(t, r.AddParty(p))
	}
	tests := []struct {
		name string
		id   coprod.PartyID
		want coprod.Sector
	}{
		{"statutory", id("sec-council"), coprod.Statutory},
		{"independent funder", id("sec-foundation"), coprod.IndependentFunder},
		{"large provider", id("sec-charity"), coprod.LargeProvider},
		{"community", id("sec-temple"), coprod.Community},
		{"unknown party", id("sec-nobody"), ""},
		{"nil id", coprod.PartyID{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.Sector(tt.id)
			assert.Equal(t, tt.want, got)
			if tt.want == "" {
				assert.False(t, got.Valid())
				assert.False(t, got.IsCommunity())
			}
		})
	}
	// The method value has the ledger's Classifier signature.
	var classify func(coprod.PartyID) coprod.Sector = r.Sector
	assert.Equal(t, coprod.IndependentFunder, classify(id("sec-foundation")))
}
