package encode

import (
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// order gives the fields in key order, the last of a repeated key only,
// whatever the keys: short, long, sharing their first 8 bytes, empty, or
// with bytes above 0x7f; more than its insertion sort takes too.
func TestOrder(t *testing.T) {
	alphabet := []string{"", "a", "b", "ab", "abcdefgh", "abcdefghi", "abcdefgg", "abcdefgh\x00", "é", "\xff", "z", "msg", "t"}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 2000; round++ {
		n := rng.IntN(40)
		fields := make([]slog.Attr, n)
		for i := range fields {
			fields[i] = slog.Int(alphabet[rng.IntN(len(alphabet))]+alphabet[rng.IntN(len(alphabet))], i)
		}
		var want []int32
		last := map[string]int{}
		for i, f := range fields {
			last[f.Key] = i
		}
		for i, f := range fields {
			if last[f.Key] == i {
				want = append(want, int32(i))
			}
		}
		slices.SortStableFunc(want, func(a, b int32) int { return strings.Compare(fields[a].Key, fields[b].Key) })
		if got := order(fields, nil); !slices.Equal(got, want) {
			t.Fatalf("keys %v: order %v, want %v", keysOf(fields), got, want)
		}
	}
}

func keysOf(fields []slog.Attr) []string {
	var keys []string
	for _, f := range fields {
		keys = append(keys, f.Key)
	}
	return keys
}
