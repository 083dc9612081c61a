package main

import (
	"fmt"
	"io"
)

const usageText = `reconcile keeps a WooCommerce store and a NexoPOS point of sale in agreement.

Usage:
  reconcile [flags]                 run as a daemon: cycles on the configured schedule, /metrics
  reconcile --now [flags]           run one cycle, then exit with its result
  reconcile --now --dry-run         print the plan; write nothing anywhere (state file included)
  reconcile status [flags]          last cycles, drift, conflicts, held records, pending journal
  reconcile payments [flags]        gateways and payment types side by side, with the mapping
  reconcile demo                    a full cycle against built-in simulators of both systems
  reconcile simulate [flags]        serve simulated WooCommerce and NexoPOS APIs on loopback
  reconcile version                 version, commit and Go version
  reconcile help [command]          this text, or a command's flags

Flags of reconcile (daemon and --now):
  --now                 run one cycle, then exit
  --dry-run             with --now: print the plan, write nothing
  --output table|json   with --now: how to print the plan and result (default table)
  --force-deletions     with --now: apply deletions a safety check would refuse, this run only
  --full                with --now: list everything in full (confirms deletions) this run
  --bootstrap           check the NexoPOS defaults (unit group, units, category, tax group,
                        customer group, walk-in customer, mapped payment types), create the
                        missing ones, print their ids for nexopos.defaults, and exit
  --config FILE         configuration file (default $WOONEXO_CONFIG, else ./config.yaml)
  --log-level LEVEL     debug, info, warn or error (default: log.level in the config)
  --log-format FORMAT   auto, pretty or json (default: log.format; auto = pretty on a terminal)

Examples:
  cp config.example.yaml config.yaml              # then set the two URLs
  export WC_CONSUMER_KEY=ck_... WC_CONSUMER_SECRET=cs_... NEXOPOS_TOKEN=...
  reconcile --now --dry-run                       # what would change, nothing written
  reconcile --now --dry-run --output json | jq .  # the same plan, as JSON
  reconcile --now                                 # one cycle; the exit code says how it went
  reconcile --config /etc/woonexo/config.yaml     # the daemon
  reconcile status --output json
  reconcile demo                                  # see it work with nothing installed
  reconcile simulate --seed 1000 --latency 50ms
`

const exitCodesHelp = `
Exit codes:
  0  clean: done, both sides agree
  1  failed: a read or a write failed, or a system could not be reached
  2  usage or configuration error; nothing was done
  3  refused by a safety check (too many deletions; see --force-deletions)
  4  drift left: the cycle finished but some records still differ
`

func writeUsage(w io.Writer) {
	fmt.Fprint(w, usageText, exitCodesHelp)
}
