package communityhttp

// Test images for the end-to-end tests of package communityhttp_test.
var (
	// TestPNG encodes a w×h PNG.
	TestPNG = testPNG
	// TestJPEG encodes a w×h JPEG.
	TestJPEG = testJPEG
	// TestWebP returns a small WebP.
	TestWebP = testWebP
	// PNGBomb returns a tiny PNG that claims a w×h canvas.
	PNGBomb = pngBomb
)
