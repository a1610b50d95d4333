package metrics

import (
	"runtime"

	"github.com/prometheus/client_golang/prometheus"
)

// BuildInfo is the gauge that names the running build: always 1, with the
// version and the Go release as labels.
const BuildInfo = "civictrust_build_info"

// RegisterBuildInfo registers the build-info gauge on reg.
func RegisterBuildInfo(reg prometheus.Registerer, version string) error {
	if version == "" {
		version = "dev"
	}
	g := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        BuildInfo,
		Help:        "The running build: always 1, labelled with its version and Go release.",
		ConstLabels: prometheus.Labels{"version": version, "goversion": runtime.Version()},
	})
	g.Set(1)
	return reg.Register(g)
}
