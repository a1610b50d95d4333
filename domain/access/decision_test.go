package access_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/domain/access"
)

func TestDecide(t *testing.T) {
	t.Parallel()
	admin := &access.Role{ID: "r-admin", Name: "admin"}
	adminUpper := &access.Role{ID: "r-admin2", Name: "Admin"}
	member := &access.Role{ID: "r-member", Name: "member"}
	editor := &access.Role{ID: "r-editor", Name: "editor"}
	auditor := &access.Role{ID: "r-auditor", Name: "Auditor"}
	users := &access.Module{ID: "m1", Name: "users", RoleIDs: []string{"r-admin"}}
	shared := &access.Module{ID: "m2", Name: "datasets", RoleIDs: []string{"r-member", "r-editor", "r-auditor"}}
	empty := &access.Module{ID: "m3", Name: "audit"}

	tests := []struct {
		name    string
		module  string
		m       *access.Module
		roles   []*access.Role
		allowed bool
		via     []string
	}{
		{"admin_passes_a_module_that_lists_it", "users", users, []*access.Role{admin}, true, []string{"admin"}},
		{"admin_passes_a_module_that_does_not_list_it", "datasets", shared, []*access.Role{admin}, true, []string{"admin"}},
		{"admin_passes_a_module_without_roles", "audit", empty, []*access.Role{admin}, true, []string{"admin"}},
		{"admin_passes_an_unknown_module", "nowhere", nil, []*access.Role{admin}, true, []string{"admin"}},
		{"admin_name_is_case_insensitive", "nowhere", nil, []*access.Role{adminUpper}, true, []string{"Admin"}},
		{"admin_among_other_roles_passes", "audit", empty, []*access.Role{member, admin}, true, []string{"admin"}},
		{"unknown_module_denies_a_member", "nowhere", nil, []*access.Role{member}, false, []string{}},
		{"unknown_module_denies_without_roles", "nowhere", nil, nil, false, []string{}},
		{"no_roles_denies", "datasets", shared, nil, false, []string{}},
		{"empty_role_list_denies", "datasets", shared, []*access.Role{}, false, []string{}},
		{"no_overlap_denies", "users", users, []*access.Role{member, editor}, false, []string{}},
		{"module_without_roles_denies", "audit", empty, []*access.Role{member}, false, []string{}},
		{"one_overlap_allows", "datasets", shared, []*access.Role{member}, true, []string{"member"}},
		{"overlap_names_are_sorted", "datasets", shared, []*access.Role{member, editor, auditor}, true, []string{"Auditor", "editor", "member"}},
		{"only_overlapping_roles_are_named", "users", &access.Module{Name: "users", RoleIDs: []string{"r-editor"}}, []*access.Role{member, editor}, true, []string{"editor"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := access.Decide(tc.module, tc.m, tc.roles)
			if d.Allowed != tc.allowed {
				t.Errorf("Allowed = %v, want %v (reason %q)", d.Allowed, tc.allowed, d.Reason)
			}
			if d.Module != tc.module {
				t.Errorf("Module = %q, want %q", d.Module, tc.module)
			}
			if d.ViaRoles == nil {
				t.Errorf("ViaRoles is nil; want a list (JSON [] rather than null)")
			}
			if !slices.Equal(d.ViaRoles, tc.via) {
				t.Errorf("ViaRoles = %v, want %v", d.ViaRoles, tc.via)
			}
			if strings.TrimSpace(d.Reason) == "" {
				t.Errorf("Reason is empty")
			}
		})
	}
}

// The reasons say which of the denials happened, so that the explain endpoint
// is useful.
func TestDecide_reasons_tell_denials_apart(t *testing.T) {
	t.Parallel()
	member := &access.Role{ID: "r-member", Name: "member"}
	m := &access.Module{Name: "users", RoleIDs: []string{"r-admin"}}
	reasons := map[string]bool{
		access.Decide("nowhere", nil, []*access.Role{member}).Reason: true,
		access.Decide("users", m, nil).Reason:                        true,
		access.Decide("users", m, []*access.Role{member}).Reason:     true,
	}
	if len(reasons) != 3 {
		t.Errorf("unknown module, no roles and no overlap share reasons: %v", reasons)
	}
	if r := access.Decide("nowhere", nil, []*access.Role{member}).Reason; !strings.Contains(r, "nowhere") {
		t.Errorf("unknown module reason %q does not name the module", r)
	}
}

func TestDecide_does_not_change_its_inputs(t *testing.T) {
	t.Parallel()
	roles := []*access.Role{{ID: "b", Name: "zeta"}, {ID: "a", Name: "alpha"}}
	m := &access.Module{Name: "x", RoleIDs: []string{"b", "a"}}
	d := access.Decide("x", m, roles)
	if !slices.Equal(d.ViaRoles, []string{"alpha", "zeta"}) {
		t.Fatalf("ViaRoles = %v", d.ViaRoles)
	}
	if roles[0].Name != "zeta" || !slices.Equal(m.RoleIDs, []string{"b", "a"}) {
		t.Errorf("inputs changed: roles %v %v, module %v", roles[0], roles[1], m.RoleIDs)
	}
}

func TestParseRoleName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"plain", "editor", "editor", true},
		{"keeps_case", "Data Steward", "Data Steward", true},
		{"trims_spaces", "  auditor \t\n", "auditor", true},
		{"one_character", "x", "x", true},
		{"fifty_characters", strings.Repeat("a", 50), strings.Repeat("a", 50), true},
		{"fifty_runes_not_bytes", strings.Repeat("é", 50), strings.Repeat("é", 50), true},
		{"fifty_after_trimming", "  " + strings.Repeat("b", 50) + "  ", strings.Repeat("b", 50), true},
		{"empty", "", "", false},
		{"only_spaces", "   \t ", "", false},
		{"fifty_one_characters", strings.Repeat("a", 51), "", false},
		{"fifty_one_runes", strings.Repeat("é", 51), "", false},
		{"comma", "a,b", "", false},
		{"lone_comma", ",", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, problem := access.ParseRoleName(tc.in)
			if tc.ok {
				if problem != "" {
					t.Fatalf("ParseRoleName(%q) problem %q, want none", tc.in, problem)
				}
				if got != tc.want {
					t.Errorf("ParseRoleName(%q) = %q, want %q", tc.in, got, tc.want)
				}
				return
			}
			if problem == "" {
				t.Fatalf("ParseRoleName(%q) = %q with no problem, want one", tc.in, got)
			}
			if got != "" {
				t.Errorf("ParseRoleName(%q) returned %q with problem %q; want no name", tc.in, got, problem)
			}
		})
	}
}

func TestNameKey_ignores_case_and_surrounding_space(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"Admin", " ADMIN ", "admin", "aDmIn\t"} {
		if got := access.NameKey(s); got != "admin" {
			t.Errorf("NameKey(%q) = %q, want admin", s, got)
		}
	}
}

func TestModule_roles(t *testing.T) {
	t.Parallel()
	m := &access.Module{Name: "x"}
	m.AddRoles("a", "b", "a")
	m.AddRoles("c", "b")
	if !slices.Equal(m.RoleIDs, []string{"a", "b", "c"}) {
		t.Fatalf("after AddRoles: %v", m.RoleIDs)
	}
	if !m.HasRole("b") || m.HasRole("z") {
		t.Errorf("HasRole wrong: %v", m.RoleIDs)
	}
	m.RemoveRoles("b", "z")
	if !slices.Equal(m.RoleIDs, []string{"a", "c"}) {
		t.Errorf("after RemoveRoles: %v", m.RoleIDs)
	}
}
