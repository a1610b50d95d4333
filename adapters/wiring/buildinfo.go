package wiring

import (
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/metrics"
)

// BuildInfo describes the running build; `civictrust` supplies it (fx.Supply),
// other graphs (tests) may leave it out and report version "dev".
type BuildInfo struct {
	Version string
}

type buildInfoIn struct {
	fx.In
	Build BuildInfo `optional:"true"`
}

func registerBuildInfo(reg *prometheus.Registry, in buildInfoIn) error {
	return metrics.RegisterBuildInfo(reg, in.Build.Version)
}
