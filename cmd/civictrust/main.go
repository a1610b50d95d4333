// Command civictrust is the Civic Data Trust backend.
//
//	civictrust [serve]                           serve (configuration from the environment and .env)
//	civictrust admin create --email E --name N   create an administrator; the password is read from stdin
//	civictrust audit verify                      walk the audit chain; exit 1 naming the first broken event
//	civictrust audit export --since T [--until T] [--format jsonl|csv]   write audit events, oldest first
//	civictrust store export|import|copy           move a whole trust between stores
//	civictrust version                           print the version
//	civictrust help [COMMAND]                    print the usage, or a command's
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

	"go.uber.org/dig"
	"go.uber.org/fx"

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

// stdio are a command's standard streams.
type stdio struct {
	in          io.Reader
	out, errOut io.Writer
}

// command is one verb of the command line. Adding a verb is adding one entry
// to commands; help for it (`civictrust help VERB`, `civictrust VERB --help`)
// is printed from usage without running it.
type command struct {
	name    string
	summary string // one line in the list of commands
	usage   string // the command's help: synopsis, then what it does
	// run gets the arguments after the verb; help requests never reach it.
	run func(args []string, std stdio) int
}

// commands are the verbs, in the order the usage lists them.
func commands() []command {
	return []command{
		{name: "serve", summary: "serve the API (the default command)", usage: serveUsage,
			run: func(args []string, std stdio) int {
				if len(args) > 0 {
					return usageError(std, serveUsage)
				}
				return serve(std.errOut)
			}},
		{name: "admin", summary: "create an administrator", usage: adminUsage, run: adminCommand},
		{name: "audit", summary: "verify or export the audit trail", usage: auditUsage, run: auditCommand},
		{name: "store", summary: "export, import or copy the whole store", usage: storeUsage,
			run: func(args []string, std stdio) int { return storeCommand(args, std.out, std.errOut) }},
		{name: "version", summary: "print the version", usage: "usage: civictrust version\n\nPrints the version of this build.",
			run: func(_ []string, std stdio) int { return printVersion(std) }},
		{name: "help", summary: "print this help, or a command's", usage: "usage: civictrust help [COMMAND]",
			run: func(args []string, std stdio) int { return help(args, std) }},
	}
}

const serveUsage = `usage: civictrust [serve]

Serves the API until SIGINT or SIGTERM. The configuration comes from the
environment and a .env file in the working folder (configs/example.env lists
every variable); with MONGODB_URI empty everything is kept in DATA_DIR.`

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	std := stdio{in: stdin, out: stdout, errOut: stderr}
	if len(args) == 0 {
		return serve(stderr)
	}
	switch args[0] {
	case "-h", "-help", "--help":
		return help(nil, std)
	case "--version":
		return printVersion(std)
	}
	cmd, ok := lookup(args[0])
	if !ok {
		_, _ = fmt.Fprintf(stderr, "civictrust: unknown command %q\n\n%s\n", args[0], overview())
		return 2
	}
	if wantsHelp(args[1:]) {
		_, _ = fmt.Fprintln(stdout, cmd.usage)
		return 0
	}
	return cmd.run(args[1:], std)
}

func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// wantsHelp reports whether the first argument after a verb (or after its
// sub-verb, as in `audit verify --help`) asks for help: the command's usage
// is printed and nothing is started.
func wantsHelp(args []string) bool {
	for i, a := range args {
		if i > 1 {
			break
		}
		switch a {
		case "-h", "-help", "--help", "help":
			return true
		}
		if strings.HasPrefix(a, "-") {
			break
		}
	}
	return false
}

// help prints the overview, or one command's usage.
func help(args []string, std stdio) int {
	if len(args) == 0 {
		_, _ = fmt.Fprintln(std.out, overview())
		return 0
	}
	cmd, ok := lookup(args[0])
	if !ok {
		_, _ = fmt.Fprintf(std.errOut, "civictrust: unknown command %q\n\n%s\n", args[0], overview())
		return 2
	}
	_, _ = fmt.Fprintln(std.out, cmd.usage)
	return 0
}

// overview is the usage of the whole program.
func overview() string {
	var b strings.Builder
	b.WriteString("usage: civictrust [COMMAND] [ARGUMENTS]\n\nThe Civic Data Trust backend. Without a command it serves the API.\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-9s %s\n", c.name, c.summary)
	}
	b.WriteString("\n`civictrust COMMAND --help` describes a command. The configuration comes from the\nenvironment and a .env file in the working folder.")
	return b.String()
}

func printVersion(std stdio) int {
	_, _ = fmt.Fprintln(std.out, "civictrust", version)
	return 0
}

// usageError prints a command's usage on stderr: exit status 2.
func usageError(std stdio, usage string) int {
	_, _ = fmt.Fprintln(std.errOut, usage)
	return 2
}

// startFailure is the one line that says why the service or a command could
// not start: the root cause of fx's error (not the chain of constructors that
// needed it), cut to its first line.
func startFailure(err error) string {
	msg := dig.RootCause(err).Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	const most = 300
	if len(msg) > most {
		msg = msg[:most] + "…"
	}
	return "civictrust: cannot start: " + msg
}

func serve(stderr io.Writer) int {
	cfg, err := configs.FromEnvironment()
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "configuration is invalid:")
		_, _ = fmt.Fprintln(stderr, err)
		return 2
	}
	app := fx.New(wiring.Service(cfg), fx.Supply(wiring.BuildInfo{Version: version}),
		fx.StartTimeout(2*time.Minute), fx.StopTimeout(30*time.Second))
	// Caught from before the start: a signal that arrives while the service
	// starts (it already listens) stops it cleanly once started.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	if err := app.Start(context.Background()); err != nil {
		_, _ = fmt.Fprintln(stderr, startFailure(err))
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

const adminUsage = `usage: civictrust admin create --email E --name N

Creates an administrator who can log in at once; the password is read from
the first line of stdin (never from the command line, which other users can
see). Exits 1 when a user with this email exists.`

// adminCommand runs `civictrust admin create`.
func adminCommand(args []string, std stdio) int {
	if len(args) == 0 || args[0] != "create" {
		return usageError(std, adminUsage)
	}
	return adminCreate(args[1:], std.in, std.out, std.errOut)
}

func adminCreate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("admin create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	email := fs.String("email", "", "administrator's e-mail address")
	name := fs.String("name", "", "administrator's name")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
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
	app, ok := startCLI(stderr, fx.Populate(&users))
	if !ok {
		return 1
	}
	ctx := context.Background()
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

// startCLI starts the CLI graph (the store and the services, no HTTP) for
// the configuration of the environment, with opts; it reports on stderr why
// it could not.
func startCLI(stderr io.Writer, opts ...fx.Option) (*fx.App, bool) {
	cfg, err := configs.FromEnvironment()
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "configuration is invalid:")
		_, _ = fmt.Fprintln(stderr, err)
		return nil, false
	}
	app := fx.New(wiring.CLI(cfg), fx.NopLogger, fx.Options(opts...), fx.StartTimeout(2*time.Minute))
	if err := app.Start(context.Background()); err != nil {
		_, _ = fmt.Fprintln(stderr, startFailure(err))
		return nil, false
	}
	return app, true
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
