# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_cibcheck_global_optspecs
    string join \n pacemaker= config= no-config h/help V/version
end

function __fish_cibcheck_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_cibcheck_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_cibcheck_using_subcommand
    set -l cmd (__fish_cibcheck_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c cibcheck -n "__fish_cibcheck_needs_command" -l pacemaker -d 'Judge and simulate as this Pacemaker release would (2.1.5, 3.0.2; a series such as 3.0 names its profile). Default: the release the CIB\'s `dc-version` names, else 2.1.5' -r
complete -c cibcheck -n "__fish_cibcheck_needs_command" -l config -d 'Use this configuration file for every CIB instead of the nearest cibcheck.toml above each' -r -F
complete -c cibcheck -n "__fish_cibcheck_needs_command" -l no-config -d 'Use no configuration file: defaults and flags only'
complete -c cibcheck -n "__fish_cibcheck_needs_command" -s h -l help -d 'Print help'
complete -c cibcheck -n "__fish_cibcheck_needs_command" -s V -l version -d 'Print version'
complete -c cibcheck -n "__fish_cibcheck_needs_command" -f -a "lint" -d 'Check CIB files against the rule catalogue'
complete -c cibcheck -n "__fish_cibcheck_needs_command" -f -a "rules" -d 'List the rules, or print one rule\'s documentation'
complete -c cibcheck -n "__fish_cibcheck_needs_command" -f -a "simulate" -d 'Show what Pacemaker\'s scheduler would do with this CIB now, or after what-if events (steps separated by `--then`)'
complete -c cibcheck -n "__fish_cibcheck_needs_command" -f -a "explain" -d 'Why a resource is where it is: each node\'s allocation score (as `crm_simulate -s` prints it) and the constraints, stickiness, failures and node states that made it, then the verdict; with what-if events, the state after them'
complete -c cibcheck -n "__fish_cibcheck_needs_command" -f -a "resilience" -d 'Lose each online node in turn (failure, then standby): what moves, what is left stopped, which nodes are fenced'
complete -c cibcheck -n "__fish_cibcheck_needs_command" -f -a "diff" -d 'The transition applying AFTER\'s configuration to the cluster BEFORE describes would cause, and the lint findings the change adds and removes'
complete -c cibcheck -n "__fish_cibcheck_needs_command" -f -a "history" -d 'Replay every saved scheduler input (pe-input-N) of a cluster report or directory in order: a timeline of what each transition decided'
complete -c cibcheck -n "__fish_cibcheck_needs_command" -f -a "config" -d 'Print the configuration that applies to a CIB (cibcheck.toml, flags, defaults) and where each value came from'
complete -c cibcheck -n "__fish_cibcheck_needs_command" -f -a "upgrade-review" -d 'What the cluster would do differently after an upgrade: the same CIB (and what-if events) scheduled as the release it runs and as the target release, side by side, with the upgrade lint findings'
complete -c cibcheck -n "__fish_cibcheck_needs_command" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, elvish, powershell)'
complete -c cibcheck -n "__fish_cibcheck_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand lint" -l format -r -f -a "human\t'Each finding with the XML around it'
concise\t'One line per finding: FILE:LINE:COL: CODE [severity] message'
json\t'Versioned JSON (docs/json-output.md)'
sarif\t'SARIF 2.1.0 (GitHub code scanning)'
github\t'GitHub Actions workflow commands (annotations)'
junit\t'JUnit XML (Jenkins, GitLab test reports): a test case per rule and file'
gitlab\t'GitLab Code Quality JSON'"
complete -c cibcheck -n "__fish_cibcheck_using_subcommand lint" -l select -d 'Only these rule codes or prefixes (comma-separated or repeated)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand lint" -l ignore -d 'Skip these rule codes or prefixes' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand lint" -l fail-on -d 'Exit 1 when a finding of this severity or worse remains (default: cibcheck.toml\'s `fail-on`, else warning)' -r -f -a "error\t''
warning\t''
info\t''"
complete -c cibcheck -n "__fish_cibcheck_using_subcommand lint" -l baseline -d 'Hide findings recorded in this baseline file' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand lint" -l write-baseline -d 'Record every current finding in this baseline file' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand lint" -l now -d 'Evaluate date rules and lifetimes at this time (ISO 8601)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand lint" -l target -d 'Also report what an upgrade to this Pacemaker release drops, rejects or reads differently (the UP rules; names as --pacemaker)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand lint" -l color -r -f -a "auto\t''
always\t''
never\t''"
complete -c cibcheck -n "__fish_cibcheck_using_subcommand lint" -l width -d 'Columns of human output; long source lines are clipped to fit (default: the terminal\'s width, else 100)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand lint" -l max-size -d 'Largest input accepted, in bytes (of a compressed input: its decompressed bytes)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand lint" -l max-depth -d 'Deepest XML nesting accepted' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand lint" -l jobs -d 'Worker threads for linting many files (default: all cores)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand lint" -l pacemaker -d 'Judge and simulate as this Pacemaker release would (2.1.5, 3.0.2; a series such as 3.0 names its profile). Default: the release the CIB\'s `dc-version` names, else 2.1.5' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand lint" -l config -d 'Use this configuration file for every CIB instead of the nearest cibcheck.toml above each' -r -F
complete -c cibcheck -n "__fish_cibcheck_using_subcommand lint" -l live -d 'Also lint the running cluster\'s CIB (`cibadmin --query`; on a cluster node, as root or a member of the haclient group)'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand lint" -l exit-zero -d 'Exit 0 even when findings remain (input errors still exit 2)'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand lint" -l no-config -d 'Use no configuration file: defaults and flags only'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand lint" -s V -l version -d 'Print version'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand rules" -l format -d 'Output format of the listing' -r -f -a "table\t''
json\t''"
complete -c cibcheck -n "__fish_cibcheck_using_subcommand rules" -l pacemaker -d 'Judge and simulate as this Pacemaker release would (2.1.5, 3.0.2; a series such as 3.0 names its profile). Default: the release the CIB\'s `dc-version` names, else 2.1.5' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand rules" -l config -d 'Use this configuration file for every CIB instead of the nearest cibcheck.toml above each' -r -F
complete -c cibcheck -n "__fish_cibcheck_using_subcommand rules" -l no-config -d 'Use no configuration file: defaults and flags only'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand rules" -s h -l help -d 'Print help'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand rules" -s V -l version -d 'Print version'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l format -r -f -a "table\t'Placement and action tables'
json\t'A versioned JSON object (docs/simulate-json.md)'
crm-simulate\t'What `crm_simulate -S -x CIB` prints'
dot\t'The transition graph for Graphviz (like `crm_simulate -D`)'"
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l now -d 'Effective time for rules and failure timeouts (ISO 8601); default: the CIB\'s `execution-date`, else the clock' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l color -r -f -a "auto\t''
always\t''
never\t''"
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l max-size -d 'Largest input accepted, in bytes (of a compressed input: its decompressed bytes)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l max-depth -d 'Deepest XML nesting accepted' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l scenario -d 'Run the steps of a scenario file (JSON, docs/simulate-json.md) one after the other, each from the state the previous one left' -r -F
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l node-up -d 'Bring a node online (crm_simulate -u)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l node-down -d 'Take a node offline cleanly (crm_simulate -d)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l node-fail -d 'Fail a node: it leaves the membership uncleanly (crm_simulate -f)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l op-inject -d 'Record an operation result before scheduling, RSC_TASK_INTERVAL@NODE=RC (crm_simulate -i)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l op-fail -d 'Make an action of the transition fail when executed, RSC_TASK_INTERVAL@NODE=RC (crm_simulate -F)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l ticket-grant -d 'Grant a ticket' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l ticket-revoke -d 'Revoke a ticket' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l ticket-standby -d 'Make a ticket standby' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l ticket-activate -d 'Activate a standby ticket' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l standby -d 'Put a node in standby (node attribute standby=on)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l online -d 'Take a node out of standby (remove its standby attribute)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l maintenance -d 'Put a node in maintenance (node attribute maintenance=on)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l ban -d 'Ban a resource from a node (default: where it is active), as `crm_resource --ban`: RSC[@NODE]' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l move -d 'Move a resource to a node, as `crm_resource --move`: RSC@NODE' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l clear -d 'Remove the constraints --ban and --move create for a resource' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l pacemaker -d 'Judge and simulate as this Pacemaker release would (2.1.5, 3.0.2; a series such as 3.0 names its profile). Default: the release the CIB\'s `dc-version` names, else 2.1.5' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l config -d 'Use this configuration file for every CIB instead of the nearest cibcheck.toml above each' -r -F
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l live -d 'Simulate the running cluster\'s CIB (`cibadmin --query`; on a cluster node, as root or a member of the haclient group)'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l status-only -d 'Only show the cluster\'s current status (like `crm_simulate -x CIB` without `-S`); nothing is scheduled'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l cross-check -d 'Also run the installed crm_simulate on each step\'s input and report whether its transition summary and actions agree with ours'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l show-scores -d 'Show the allocation and promotion scores (`crm_simulate -s`): every assignment function\'s node table and each promotable instance\'s promotion score, in Pacemaker\'s order (as comments ahead of the graph with `--format dot`)'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l quorum -d 'The cluster has quorum'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l no-quorum -d 'The cluster has lost quorum'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l maintenance-mode -d 'Set the cluster property maintenance-mode=true'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -l no-config -d 'Use no configuration file: defaults and flags only'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand simulate" -s V -l version -d 'Print version'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l node -d 'Only this node\'s score' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l format -r -f -a "text\t'For people'
json\t'A versioned JSON object (docs/explain-json.md)'"
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l now -d 'Effective time for rules and failure timeouts (ISO 8601); default: the CIB\'s `execution-date`, else the clock' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l color -r -f -a "auto\t''
always\t''
never\t''"
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l max-size -d 'Largest input accepted, in bytes (of a compressed input: its decompressed bytes)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l max-depth -d 'Deepest XML nesting accepted' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l node-up -d 'Bring a node online (crm_simulate -u)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l node-down -d 'Take a node offline cleanly (crm_simulate -d)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l node-fail -d 'Fail a node: it leaves the membership uncleanly (crm_simulate -f)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l op-inject -d 'Record an operation result before scheduling, RSC_TASK_INTERVAL@NODE=RC (crm_simulate -i)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l op-fail -d 'Make an action of the transition fail when executed, RSC_TASK_INTERVAL@NODE=RC (crm_simulate -F)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l ticket-grant -d 'Grant a ticket' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l ticket-revoke -d 'Revoke a ticket' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l ticket-standby -d 'Make a ticket standby' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l ticket-activate -d 'Activate a standby ticket' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l standby -d 'Put a node in standby (node attribute standby=on)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l online -d 'Take a node out of standby (remove its standby attribute)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l maintenance -d 'Put a node in maintenance (node attribute maintenance=on)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l ban -d 'Ban a resource from a node (default: where it is active), as `crm_resource --ban`: RSC[@NODE]' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l move -d 'Move a resource to a node, as `crm_resource --move`: RSC@NODE' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l clear -d 'Remove the constraints --ban and --move create for a resource' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l pacemaker -d 'Judge and simulate as this Pacemaker release would (2.1.5, 3.0.2; a series such as 3.0 names its profile). Default: the release the CIB\'s `dc-version` names, else 2.1.5' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l config -d 'Use this configuration file for every CIB instead of the nearest cibcheck.toml above each' -r -F
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l live -d 'Explain the running cluster\'s CIB (`cibadmin --query`)'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l quorum -d 'The cluster has quorum'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l no-quorum -d 'The cluster has lost quorum'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l maintenance-mode -d 'Set the cluster property maintenance-mode=true'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -l no-config -d 'Use no configuration file: defaults and flags only'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand explain" -s V -l version -d 'Print version'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand resilience" -l format -r -f -a "table\t''
json\t''"
complete -c cibcheck -n "__fish_cibcheck_using_subcommand resilience" -l fail-on -d 'Exit 1 when some loss leaves a resource stopped' -r -f -a "stopped\t'Some loss leaves a resource stopped'"
complete -c cibcheck -n "__fish_cibcheck_using_subcommand resilience" -l now -d 'Effective time for rules and failure timeouts (ISO 8601)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand resilience" -l color -r -f -a "auto\t''
always\t''
never\t''"
complete -c cibcheck -n "__fish_cibcheck_using_subcommand resilience" -l max-size -d 'Largest input accepted, in bytes (of a compressed input: its decompressed bytes)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand resilience" -l max-depth -d 'Deepest XML nesting accepted' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand resilience" -l pacemaker -d 'Judge and simulate as this Pacemaker release would (2.1.5, 3.0.2; a series such as 3.0 names its profile). Default: the release the CIB\'s `dc-version` names, else 2.1.5' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand resilience" -l config -d 'Use this configuration file for every CIB instead of the nearest cibcheck.toml above each' -r -F
complete -c cibcheck -n "__fish_cibcheck_using_subcommand resilience" -l live -d 'Use the running cluster\'s CIB (`cibadmin --query`; on a cluster node, as root or a member of the haclient group)'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand resilience" -l no-config -d 'Use no configuration file: defaults and flags only'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand resilience" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand resilience" -s V -l version -d 'Print version'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand diff" -l format -r -f -a "table\t''
json\t''"
complete -c cibcheck -n "__fish_cibcheck_using_subcommand diff" -l fail-on -d 'Exit 1 when the transition restarts, stops or moves a resource (comma-separated)' -r -f -a "restart\t'A resource is restarted (Restart, Recover, Re-promote)'
stop\t'A resource is stopped'
move\t'A resource moves (Move, Migrate)'"
complete -c cibcheck -n "__fish_cibcheck_using_subcommand diff" -l now -d 'Effective time for rules and failure timeouts (ISO 8601)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand diff" -l color -r -f -a "auto\t''
always\t''
never\t''"
complete -c cibcheck -n "__fish_cibcheck_using_subcommand diff" -l max-size -d 'Largest input accepted, in bytes (of a compressed input: its decompressed bytes)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand diff" -l max-depth -d 'Deepest XML nesting accepted' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand diff" -l pacemaker -d 'Judge and simulate as this Pacemaker release would (2.1.5, 3.0.2; a series such as 3.0 names its profile). Default: the release the CIB\'s `dc-version` names, else 2.1.5' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand diff" -l config -d 'Use this configuration file for every CIB instead of the nearest cibcheck.toml above each' -r -F
complete -c cibcheck -n "__fish_cibcheck_using_subcommand diff" -l live -d 'Take BEFORE from the running cluster (`cibadmin --query`), so that `cibcheck diff --live new.xml` previews loading new.xml'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand diff" -l no-config -d 'Use no configuration file: defaults and flags only'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand diff" -s V -l version -d 'Print version'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand history" -l format -r -f -a "table\t'One line per transition'
json\t'One object per transition (docs/history-json.md)'"
complete -c cibcheck -n "__fish_cibcheck_using_subcommand history" -l since -d 'Only transitions at or after this time (ISO 8601)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand history" -l until -d 'Only transitions at or before this time (ISO 8601)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand history" -l resource -d 'Only transitions that decide something about this resource (or one of its clone instances); repeatable' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand history" -l node -d 'Only transitions that decide something involving this node; repeatable' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand history" -l color -r -f -a "auto\t''
always\t''
never\t''"
complete -c cibcheck -n "__fish_cibcheck_using_subcommand history" -l max-size -d 'Largest input accepted, in bytes (of a compressed input: its decompressed bytes)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand history" -l max-depth -d 'Deepest XML nesting accepted' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand history" -l jobs -d 'Worker threads (default: all cores)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand history" -l pacemaker -d 'Judge and simulate as this Pacemaker release would (2.1.5, 3.0.2; a series such as 3.0 names its profile). Default: the release the CIB\'s `dc-version` names, else 2.1.5' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand history" -l config -d 'Use this configuration file for every CIB instead of the nearest cibcheck.toml above each' -r -F
complete -c cibcheck -n "__fish_cibcheck_using_subcommand history" -l only-eventful -d 'Only transitions that decide something (not-replayed inputs are always shown)'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand history" -l no-config -d 'Use no configuration file: defaults and flags only'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand history" -s V -l version -d 'Print version'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand config" -l select -d 'As `lint --select`: shows how the flag overrides the file' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand config" -l ignore -d 'As `lint --ignore`' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand config" -l fail-on -d 'As `lint --fail-on`' -r -f -a "error\t''
warning\t''
info\t''"
complete -c cibcheck -n "__fish_cibcheck_using_subcommand config" -l now -d 'The day `until` dates are judged at (ISO 8601; default: now)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand config" -l color -r -f -a "auto\t''
always\t''
never\t''"
complete -c cibcheck -n "__fish_cibcheck_using_subcommand config" -l pacemaker -d 'Judge and simulate as this Pacemaker release would (2.1.5, 3.0.2; a series such as 3.0 names its profile). Default: the release the CIB\'s `dc-version` names, else 2.1.5' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand config" -l config -d 'Use this configuration file for every CIB instead of the nearest cibcheck.toml above each' -r -F
complete -c cibcheck -n "__fish_cibcheck_using_subcommand config" -l no-config -d 'Use no configuration file: defaults and flags only'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand config" -s h -l help -d 'Print help'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand config" -s V -l version -d 'Print version'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l from -d 'The release the cluster runs today (default: as for every command: --pacemaker, else the CIB\'s dc-version, else 2.1.5)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l to -d 'The release upgraded to (default: the newest profile)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l format -r -f -a "table\t'The differences as tables, a verdict and the upgrade findings'
json\t'A versioned JSON object (docs/upgrade-review-json.md)'"
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l now -d 'Effective time for rules and failure timeouts (ISO 8601); default: the CIB\'s `execution-date`, else the clock' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l color -r -f -a "auto\t''
always\t''
never\t''"
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l max-size -d 'Largest input accepted, in bytes (of a compressed input: its decompressed bytes)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l max-depth -d 'Deepest XML nesting accepted' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l node-up -d 'Bring a node online (crm_simulate -u)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l node-down -d 'Take a node offline cleanly (crm_simulate -d)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l node-fail -d 'Fail a node: it leaves the membership uncleanly (crm_simulate -f)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l op-inject -d 'Record an operation result before scheduling, RSC_TASK_INTERVAL@NODE=RC (crm_simulate -i)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l op-fail -d 'Make an action of the transition fail when executed, RSC_TASK_INTERVAL@NODE=RC (crm_simulate -F)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l ticket-grant -d 'Grant a ticket' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l ticket-revoke -d 'Revoke a ticket' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l ticket-standby -d 'Make a ticket standby' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l ticket-activate -d 'Activate a standby ticket' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l standby -d 'Put a node in standby (node attribute standby=on)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l online -d 'Take a node out of standby (remove its standby attribute)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l maintenance -d 'Put a node in maintenance (node attribute maintenance=on)' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l ban -d 'Ban a resource from a node (default: where it is active), as `crm_resource --ban`: RSC[@NODE]' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l move -d 'Move a resource to a node, as `crm_resource --move`: RSC@NODE' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l clear -d 'Remove the constraints --ban and --move create for a resource' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l pacemaker -d 'Judge and simulate as this Pacemaker release would (2.1.5, 3.0.2; a series such as 3.0 names its profile). Default: the release the CIB\'s `dc-version` names, else 2.1.5' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l config -d 'Use this configuration file for every CIB instead of the nearest cibcheck.toml above each' -r -F
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l all -d 'Also show the resources placed the same by both releases'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l quorum -d 'The cluster has quorum'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l no-quorum -d 'The cluster has lost quorum'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l maintenance-mode -d 'Set the cluster property maintenance-mode=true'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -l no-config -d 'Use no configuration file: defaults and flags only'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand upgrade-review" -s V -l version -d 'Print version'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand completions" -l pacemaker -d 'Judge and simulate as this Pacemaker release would (2.1.5, 3.0.2; a series such as 3.0 names its profile). Default: the release the CIB\'s `dc-version` names, else 2.1.5' -r
complete -c cibcheck -n "__fish_cibcheck_using_subcommand completions" -l config -d 'Use this configuration file for every CIB instead of the nearest cibcheck.toml above each' -r -F
complete -c cibcheck -n "__fish_cibcheck_using_subcommand completions" -l no-config -d 'Use no configuration file: defaults and flags only'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand completions" -s h -l help -d 'Print help'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand completions" -s V -l version -d 'Print version'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand help; and not __fish_seen_subcommand_from lint rules simulate explain resilience diff history config upgrade-review completions help" -f -a "lint" -d 'Check CIB files against the rule catalogue'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand help; and not __fish_seen_subcommand_from lint rules simulate explain resilience diff history config upgrade-review completions help" -f -a "rules" -d 'List the rules, or print one rule\'s documentation'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand help; and not __fish_seen_subcommand_from lint rules simulate explain resilience diff history config upgrade-review completions help" -f -a "simulate" -d 'Show what Pacemaker\'s scheduler would do with this CIB now, or after what-if events (steps separated by `--then`)'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand help; and not __fish_seen_subcommand_from lint rules simulate explain resilience diff history config upgrade-review completions help" -f -a "explain" -d 'Why a resource is where it is: each node\'s allocation score (as `crm_simulate -s` prints it) and the constraints, stickiness, failures and node states that made it, then the verdict; with what-if events, the state after them'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand help; and not __fish_seen_subcommand_from lint rules simulate explain resilience diff history config upgrade-review completions help" -f -a "resilience" -d 'Lose each online node in turn (failure, then standby): what moves, what is left stopped, which nodes are fenced'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand help; and not __fish_seen_subcommand_from lint rules simulate explain resilience diff history config upgrade-review completions help" -f -a "diff" -d 'The transition applying AFTER\'s configuration to the cluster BEFORE describes would cause, and the lint findings the change adds and removes'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand help; and not __fish_seen_subcommand_from lint rules simulate explain resilience diff history config upgrade-review completions help" -f -a "history" -d 'Replay every saved scheduler input (pe-input-N) of a cluster report or directory in order: a timeline of what each transition decided'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand help; and not __fish_seen_subcommand_from lint rules simulate explain resilience diff history config upgrade-review completions help" -f -a "config" -d 'Print the configuration that applies to a CIB (cibcheck.toml, flags, defaults) and where each value came from'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand help; and not __fish_seen_subcommand_from lint rules simulate explain resilience diff history config upgrade-review completions help" -f -a "upgrade-review" -d 'What the cluster would do differently after an upgrade: the same CIB (and what-if events) scheduled as the release it runs and as the target release, side by side, with the upgrade lint findings'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand help; and not __fish_seen_subcommand_from lint rules simulate explain resilience diff history config upgrade-review completions help" -f -a "completions" -d 'Print shell completions (bash, zsh, fish, elvish, powershell)'
complete -c cibcheck -n "__fish_cibcheck_using_subcommand help; and not __fish_seen_subcommand_from lint rules simulate explain resilience diff history config upgrade-review completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
