package kernel

import "math"

// PageOffset is the number of items before page (1-based) of pages of size
// limit. It never overflows: a page past what an int can count gives
// math.MaxInt, an offset past every list; a page below 1 or a limit below 1
// gives 0.
func PageOffset(page, limit int) int {
	if page <= 1 || limit <= 0 {
		return 0
	}
	if page-1 > math.MaxInt/limit {
		return math.MaxInt
	}
	return (page - 1) * limit
}
