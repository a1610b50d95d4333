package main

import "math"

// meanInterval returns the mean of xs and a two-sided 95 % confidence
// interval of it (Student's t). The bench applies it to the ratios of the
// rounds of an alternating comparison: each round is one slice of each side,
// taken back to back, so the rounds' spread is what the machine's drift did
// to the comparison, and the interval says whether a goal is met beyond it.
// With fewer than two values the interval is unbounded.
func meanInterval(xs []float64) (mean, lo, hi float64) {
	n := len(xs)
	if n == 0 {
		return math.NaN(), math.Inf(-1), math.Inf(1)
	}
	for _, x := range xs {
		mean += x
	}
	mean /= float64(n)
	if n < 2 {
		return mean, math.Inf(-1), math.Inf(1)
	}
	var squares float64
	for _, x := range xs {
		squares += (x - mean) * (x - mean)
	}
	half := t95(n-1) * math.Sqrt(squares/float64(n-1)/float64(n))
	return mean, mean - half, mean + half
}

// t95 is Student's t for a two-sided 95 % interval with df degrees of
// freedom. Past 30 it takes the value of the next tabulated df
// below, which widens the interval a little rather than narrowing it.
func t95(df int) float64 {
	table := [...]float64{12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
		2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
		2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042}
	switch {
	case df < 1:
		return math.Inf(1) // no freedom: no bound
	case df <= len(table):
		return table[df-1]
	case df < 40:
		return table[len(table)-1]
	case df < 60:
		return 2.021
	case df < 120:
		return 2.000
	default:
		return 1.980
	}
}
