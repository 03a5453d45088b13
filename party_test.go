package coprod_test

import (
	"testing"

	"github.com/coprod/coprod"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSectorSides pins down which side each sector stands on: the codes
// are persisted, and the metrics and checks branch on the two predicates.
func TestSectorSides(t *testing.T) {
	tests := []struct {
		code       string
		want       coprod.Sector
		community  bool
		grassroots bool
		bad        bool
	}{
		{code: "statutory", want: coprod.Statutory},
		{code: "community", want: coprod.Community, community: true, grassroots: true},
		{code: "hub", want: coprod.Hub, community: true},
		{code: "service-user-group", want: coprod.ServiceUsers, community: true, grassroots: true},
		{code: "individual", want: coprod.Individual},
		{code: "independent-funder", want: coprod.IndependentFunder},
		{code: "private-supplier", want: coprod.Supplier},
		{code: "large-voluntary-provider", want: coprod.LargeProvider, community: true},
		{code: "", bad: true},
		{code: "charity", bad: true},
		{code: "Independent-Funder", bad: true},
		{code: "foundation", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			got, err := coprod.ParseSector(tt.code)
			if tt.bad {
				assert.ErrorIs(t, err, coprod.ErrUnknownSector)
				assert.False(t, coprod.Sector(tt.code).Valid())
				assert.False(t, coprod.Sector(tt.code).IsCommunity())
				assert.False(t, coprod.Sector(tt.code).IsGrassroots())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.True(t, got.Valid())
			assert.Equal(t, tt.code, got.String())
			assert.Equal(t, tt.community, got.IsCommunity())
			assert.Equal(t, tt.grassroots, got.IsGrassroots())
			assert.True(t, !got.IsGrassroots() || got.IsCommunity(), "grassroots groups are community-side")
		})
	}
}
