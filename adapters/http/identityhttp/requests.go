package identityhttp

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// addViolations records domain rule violations as 422 entries at body.<field>.
func addViolations(p *httpserver.Problems, field string, input any, vs []identity.Violation) {
	for _, v := range vs {
		p.Add(v.Type, v.Msg, input, v.Ctx, "body", field)
	}
}

// emailField reads and checks a required email field.
func emailField(b *httpserver.Body, field string) string {
	raw, ok := b.String(field)
	if !ok {
		return ""
	}
	email, vs := identity.ParseEmail(raw)
	addViolations(&b.Problems, field, raw, vs)
	return email
}

// passwordField reads a password and applies the full policy.
func passwordField(b *httpserver.Body, field string) string {
	raw, ok := b.String(field)
	if !ok {
		return ""
	}
	addViolations(&b.Problems, field, raw, identity.CheckPassword(raw))
	return raw
}

// loginPasswordField only checks the seed's shape (a string of 8+ characters):
// a login must not reveal the current policy or refuse legacy passwords.
func loginPasswordField(b *httpserver.Body, field string) string {
	raw, ok := b.String(field)
	if !ok {
		return ""
	}
	if len([]rune(raw)) < identity.PasswordMinLen {
		v := identity.TooShort(identity.PasswordMinLen)
		b.Problems.Add(v.Type, v.Msg, raw, v.Ctx, "body", field)
	}
	return raw
}

// splitRoles splits the seed's comma-separated role field.
func splitRoles(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func signupInput(c *fiber.Ctx) (identityport.SignupInput, error) {
	b, err := httpserver.JSONBody(c)
	if err != nil {
		return identityport.SignupInput{}, err
	}
	var in identityport.SignupInput
	if raw, ok := b.String("name"); ok {
		name, vs := identity.ParseName(raw)
		addViolations(&b.Problems, "name", raw, vs)
		in.Name = name
	}
	in.Email = emailField(b, "email")
	in.Password = passwordField(b, "password")
	if raw, ok := b.String("role"); ok {
		in.RoleRefs = splitRoles(raw)
		if len(in.RoleRefs) == 0 {
			b.Problems.Add("value_error", "Value error, At least one role is required", raw, nil, "body", "role")
		}
	}
	return in, b.Problems.Err()
}

func userUpdateInput(c *fiber.Ctx) (identityport.UserUpdate, error) {
	b, err := httpserver.JSONBody(c)
	if err != nil {
		return identityport.UserUpdate{}, err
	}
	var in identityport.UserUpdate
	if raw, ok := b.OptString("name"); ok && raw != nil {
		name, vs := identity.ParseName(*raw)
		addViolations(&b.Problems, "name", *raw, vs)
		in.Name = &name
	}
	if raw, ok := b.OptString("email"); ok && raw != nil {
		email, vs := identity.ParseEmail(*raw)
		addViolations(&b.Problems, "email", *raw, vs)
		in.Email = &email
	}
	if v, ok := b.OptBool("status"); ok {
		in.Active = v
	}
	if raw, ok := b.OptString("current_password"); ok && raw != nil {
		in.CurrentPassword = raw
	}
	if raw, ok := b.OptString("role"); ok && raw != nil {
		refs := splitRoles(*raw)
		if len(refs) == 0 {
			b.Problems.Add("value_error", "Value error, At least one role is required", *raw, nil, "body", "role")
		}
		in.RoleRefs = &refs
	}
	return in, b.Problems.Err()
}
