package kernel

import "math"

// Offset is how many records come before page (counted from 1) of pages of
// limit records, and false when that number does not fit in an int (a page
// past every store's end) or page is below 1.
func Offset(page, limit int) (int, bool) {
	if page < 1 || limit < 0 {
		return 0, false
	}
	if limit > 0 && page-1 > math.MaxInt/limit {
		return 0, false
	}
	return (page - 1) * limit, true
}
