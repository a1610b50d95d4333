package main

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/apitest"
)

func TestVersionPrintsTheVersion(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"version"}, nil, &out, &errOut); code != 0 || !strings.HasPrefix(out.String(), "civictrust ") {
		t.Fatalf("code %d, out %q, err %q", code, out.String(), errOut.String())
	}
}

func TestUnknownVerbIsAUsageError(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"frobnicate"}, nil, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "usage") {
		t.Fatalf("code %d, err %q", code, errOut.String())
	}
}

// cliEnv points the commands, which read the process's environment, at a
// fresh data folder, logging errors only and with no first admin to create;
// it returns the folder.
func cliEnv(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("DATA_DIR", dir)
	t.Setenv("LOG_LEVEL", "error")
	t.Setenv("ADMIN_EMAIL", "")
	t.Setenv("ADMIN_PASSWORD", "")
	return dir
}

func TestAdminCreate(t *testing.T) {
	dir := cliEnv(t)

	t.Run("weak_password_from_stdin_is_refused", func(t *testing.T) {
		var out, errOut bytes.Buffer
		code := run([]string{"admin", "create", "--email", "ada@example.org", "--name", "Ada"}, strings.NewReader("weak\n"), &out, &errOut)
		if code != 2 || !strings.Contains(errOut.String(), "uppercase") {
			t.Fatalf("code %d, err %q", code, errOut.String())
		}
	})
	t.Run("creates_an_admin_who_can_log_in_and_manage_users", func(t *testing.T) {
		var out, errOut bytes.Buffer
		code := run([]string{"admin", "create", "--email", "Ada@Example.org", "--name", "Ada Admin"}, strings.NewReader("Str0ng-Passw0rd\n"), &out, &errOut)
		if code != 0 {
			t.Fatalf("code %d, err %q", code, errOut.String())
		}
		if strings.Contains(out.String()+errOut.String(), "Str0ng-Passw0rd") {
			t.Fatal("the password was echoed")
		}
		app := apitest.Start(t, apitest.WithEnv("DATA_DIR", dir), apitest.WithEnv("ADMIN_EMAIL", ""), apitest.WithEnv("ADMIN_PASSWORD", ""))
		tok := app.Login("ada@example.org", "Str0ng-Passw0rd")
		app.Get("/api/v1/users", tok.Access).Expect(t, http.StatusOK)
		app.Stop()
	})
	t.Run("an_existing_email_is_refused", func(t *testing.T) {
		var out, errOut bytes.Buffer
		code := run([]string{"admin", "create", "--email", "ada@example.org", "--name", "Ada"}, strings.NewReader("Str0ng-Passw0rd\n"), &out, &errOut)
		if code != 1 || !strings.Contains(errOut.String(), "exists") {
			t.Fatalf("code %d, err %q", code, errOut.String())
		}
	})
}
