// Command civictrust is the Civic Data Trust backend.
//
//	civictrust                                   serve (configuration from the environment and .env)
//	civictrust admin create --email E --name N   create an administrator; the password is read from stdin
//	civictrust audit verify                      walk the audit chain; exit 1 naming the first broken event
//	civictrust audit export --since T [--until T] [--format jsonl|csv]   write audit events, oldest first
//	civictrust version                           print the version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/embedded"
	"github.com/civicdatatrust/civictrust/adapters/wiring"
	"github.com/civicdatatrust/civictrust/configs"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0 || args[0] == "serve":
		return serve(stderr)
	case args[0] == "version":
		_, _ = fmt.Fprintln(stdout, "civictrust", version)
		return 0
	case len(args) >= 2 && args[0] == "admin" && args[1] == "create":
		return adminCreate(args[2:], stdin, stdout, stderr)
	case args[0] == "audit":
		return auditCommand(args[1:], stdout, stderr)
	default:
		_, _ = fmt.Fprintln(stderr, "usage: civictrust [serve | version | admin create --email E --name N | audit verify | audit export --since T]")
		return 2
	}
}

func serve(stderr io.Writer) int {
	cfg, err := configs.FromEnvironment()
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "configuration is invalid:")
		_, _ = fmt.Fprintln(stderr, err)
		return 2
	}
	// After the configuration resolved its defaults from the CPUs
	// (HASH_CONCURRENCY), which the spare processor must not change.
	if cfg.Embedded() {
		embedded.SpareProcessor(os.LookupEnv)
	}
	app := fx.New(fx.Supply(cfg, wiring.BuildVersion(version)), wiring.Service(), fx.StartTimeout(2*time.Minute), fx.StopTimeout(30*time.Second))
	// Caught from before the start: a signal that arrives while the service
	// starts (it already listens) stops it cleanly once started.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	if err := app.Start(context.Background()); err != nil {
		_, _ = fmt.Fprintln(stderr, "start failed:", err)
		return 1
	}
	code := 0
	select {
	case <-sig:
	case s := <-app.Wait(): // the service asked to stop (its listener failed for good)
		code = s.ExitCode
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := app.Stop(ctx); err != nil {
		_, _ = fmt.Fprintln(stderr, "stop failed:", err)
		return 1
	}
	return code
}

func adminCreate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("admin create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	email := fs.String("email", "", "administrator's e-mail address")
	name := fs.String("name", "", "administrator's name")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	addr, vs := identity.ParseEmail(*email)
	nm, nvs := identity.ParseName(*name)
	if len(vs) > 0 || len(nvs) > 0 {
		_, _ = fmt.Fprintln(stderr, "usage: civictrust admin create --email E --name N (password on stdin); a valid email and a name of 2-100 characters are required")
		return 2
	}
	password, err := readPassword(stdin)
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "read the password from stdin:", err)
		return 2
	}
	if problems := identity.CheckPassword(password); len(problems) > 0 {
		for _, p := range problems {
			_, _ = fmt.Fprintln(stderr, "password:", strings.TrimPrefix(p.Msg, "Value error, "))
		}
		return 2
	}
	var users identityport.UserService
	app := fx.New(wiring.CLI(), fx.Populate(&users), fx.StartTimeout(2*time.Minute))
	ctx := context.Background()
	if err := app.Start(ctx); err != nil {
		_, _ = fmt.Fprintln(stderr, "start failed:", err)
		return 1
	}
	defer func() { _ = app.Stop(ctx) }()
	created, err := users.CreateAdmin(ctx, nm, addr, password)
	switch {
	case err != nil:
		_, _ = fmt.Fprintln(stderr, "create admin:", err)
		return 1
	case !created:
		_, _ = fmt.Fprintln(stderr, "a user with this email exists already")
		return 1
	}
	_, _ = fmt.Fprintln(stdout, "administrator created:", addr)
	return 0
}

// readPassword reads one line from stdin (never from argv, which other users can see).
func readPassword(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, 4096))
	if err != nil {
		return "", err
	}
	pw := strings.TrimRight(strings.SplitN(string(b), "\n", 2)[0], "\r")
	if pw == "" {
		return "", errors.New("empty password")
	}
	return pw, nil
}
