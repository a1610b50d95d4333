package accessapp

import (
	"context"
	"slices"

	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Modules returns the modules the principal may use. The admin role passes everywhere.
func (s *Service) Modules(ctx context.Context, p kernel.Principal) ([]string, error) {
	if p.IsAdmin() {
		return access.ModuleNames(), nil
	}
	var out []string
	for _, m := range access.DefaultModules() {
		for _, role := range m.RoleNames {
			if slices.Contains(p.RoleNames, role) {
				out = append(out, m.Name)
				break
			}
		}
	}
	return out, nil
}
