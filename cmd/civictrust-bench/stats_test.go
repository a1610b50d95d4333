package main

import (
	"math"
	"testing"
)

func TestMeanIntervalIsStudentsTInterval(t *testing.T) {
	// Mean 3, sample standard deviation √2.5, so the standard error is
	// √0.5; t for 4 degrees of freedom is 2.776.
	mean, lo, hi := meanInterval([]float64{1, 2, 3, 4, 5})
	half := 2.776 * math.Sqrt(0.5)
	if mean != 3 || math.Abs(lo-(3-half)) > 1e-9 || math.Abs(hi-(3+half)) > 1e-9 {
		t.Fatalf("meanInterval = %v [%v, %v]; want 3 [%v, %v]", mean, lo, hi, 3-half, 3+half)
	}
}

func TestMeanIntervalOfEqualValuesHasNoWidth(t *testing.T) {
	if mean, lo, hi := meanInterval([]float64{0.9, 0.9, 0.9}); mean != 0.9 || lo != 0.9 || hi != 0.9 {
		t.Fatalf("meanInterval = %v [%v, %v]; want 0.9 [0.9, 0.9]", mean, lo, hi)
	}
}

func TestMeanIntervalOfOneValueIsUnbounded(t *testing.T) {
	if mean, lo, hi := meanInterval([]float64{0.9}); mean != 0.9 || !math.IsInf(lo, -1) || !math.IsInf(hi, 1) {
		t.Fatalf("meanInterval = %v [%v, %v]; want 0.9 (-Inf, +Inf)", mean, lo, hi)
	}
}

func TestT95NeverNarrowsPastTheTable(t *testing.T) {
	prev := math.Inf(1)
	for df := 1; df <= 200; df++ {
		v := t95(df)
		if v > prev || v < 1.96 {
			t.Fatalf("t95(%d) = %v after %v: must not grow with df nor fall below the normal 1.96", df, v, prev)
		}
		prev = v
	}
	if t95(30) != 2.042 || t95(35) != 2.042 || t95(45) != 2.021 {
		t.Fatalf("t95(30, 35, 45) = %v, %v, %v; want 2.042, 2.042, 2.021", t95(30), t95(35), t95(45))
	}
}
