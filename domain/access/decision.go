package access

import (
	"fmt"
	"slices"
	"strings"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// Decision is the answer to "may this principal use module M, and why".
type Decision struct {
	Allowed  bool
	Module   string
	ViaRoles []string // names of the roles that grant access
	Reason   string
}

// Decide says whether a holder of roles may use module. It is deny by default:
// an unknown module, no roles or no overlap all deny. The admin role passes everywhere.
// module is nil when no module of that name exists.
func Decide(moduleName string, module *Module, roles []*Role) Decision {
	d := Decision{Module: moduleName, ViaRoles: []string{}}
	for _, r := range roles {
		if strings.EqualFold(r.Name, RoleAdmin) {
			d.Allowed = true
			d.ViaRoles = append(d.ViaRoles, r.Name)
			d.Reason = "the admin role passes everywhere"
			return d
		}
	}
	if module == nil {
		d.Reason = fmt.Sprintf("no module named %q is defined; access is denied by default", moduleName)
		return d
	}
	for _, r := range roles {
		if module.HasRole(r.ID) {
			d.ViaRoles = append(d.ViaRoles, r.Name)
		}
	}
	slices.Sort(d.ViaRoles)
	if len(d.ViaRoles) > 0 {
		d.Allowed = true
		d.Reason = fmt.Sprintf("granted by %s listed in module %q", plural("role", d.ViaRoles), moduleName)
		return d
	}
	if len(roles) == 0 {
		d.Reason = "the user holds no role"
	} else {
		d.Reason = fmt.Sprintf("none of the user's roles is listed in module %q", moduleName)
	}
	return d
}

func plural(word string, names []string) string {
	if len(names) == 1 {
		return word + " " + names[0]
	}
	return word + "s " + strings.Join(names, ", ")
}

// ParseRoleName trims a role name and checks it is usable (1–50 characters, no commas:
// the seed's user "role" field joins role references with commas).
func ParseRoleName(s string) (string, string) {
	name := strings.TrimSpace(s)
	switch {
	case name == "":
		return "", "Role name must not be empty"
	case len([]rune(name)) > 50:
		return "", "Role name must have at most 50 characters"
	case strings.Contains(name, ","):
		return "", "Role name must not contain a comma"
	case !kernel.IsPlainLine(name):
		return "", "Role name must not contain control characters or bidirectional overrides"
	}
	return name, ""
}
