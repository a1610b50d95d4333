package wiring

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/civicdatatrust/civictrust/configs"
)

func TestConsoleLogsAreColouredOnlyWhenAllowed(t *testing.T) {
	cfg := configs.Config{LogLevel: configs.LogInfo, LogFormat: configs.LogFormatConsole}
	for _, colour := range []bool{false, true} {
		var out bytes.Buffer
		log := newLogger(cfg, &out, colour)
		log.Info().Str("addr", "127.0.0.1:8000").Msg("listening")
		if got := strings.Contains(out.String(), "\x1b["); got != colour {
			t.Errorf("colour %v: escape codes present = %v in %q", colour, got, out.String())
		}
		if !strings.Contains(out.String(), "listening") {
			t.Errorf("colour %v: %q", colour, out.String())
		}
	}
}

func TestColoursOnlyOnATerminalAndNeverWithNoColor(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	if colours(f, false) {
		t.Error("a file is not a terminal: no colours")
	}
	if colours(f, true) {
		t.Error("NO_COLOR: no colours")
	}
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer func() { _ = tty.Close() }()
		if !colours(tty, false) {
			t.Error("a terminal without NO_COLOR: colours")
		}
		if colours(tty, true) {
			t.Error("a terminal with NO_COLOR: no colours")
		}
	}
}
