package apitest

import (
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/mail"
)

// MailTo returns the messages the service has sent to addr (compared without
// case), failing the test when the mail folder cannot be read.
func (a *App) MailTo(t testing.TB, addr string) []mail.StoredMessage {
	t.Helper()
	all, err := mail.ReadMessages(a.MailDir())
	if err != nil {
		t.Fatalf("read mail: %v", err)
	}
	var out []mail.StoredMessage
	for _, m := range all {
		if strings.EqualFold(m.To, addr) {
			out = append(out, m)
		}
	}
	return out
}
