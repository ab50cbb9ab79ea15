# bash completion for portolan.  Source it, or install as
# /usr/share/bash-completion/completions/portolan.
_portolan()
{
	local cur prev cmd
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=${COMP_WORDS[1]}
	local commands="lookup search update who listening ls connections conns audit free claim serve export feedback check-data help"

	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
		return
	fi
	case $prev in
	--db|--from|--save|--ca-file|--expect|--nmap-services|--etc-services|--votes|import)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--npm|--data|--po)
		COMPREPLY=($(compgen -d -- "$cur")); return ;;
	esac
	case $cmd in
	update)
		COMPREPLY=($(compgen -W "--from --npm --save --ca-file --nmap-services --etc-services --no-system --data --no-data --force --db --quiet --help" -- "$cur")) ;;
	search)
		COMPREPLY=($(compgen -W "--json --limit --lang --db --no-color --help" -- "$cur")) ;;
	connections|conns)
		COMPREPLY=($(compgen -W "--json --tcp --udp --ipv4 --ipv6 --port --pid --user --unexpected --sort --all-netns --lang --db --no-color --help" -- "$cur")) ;;
	listening|ls)
		COMPREPLY=($(compgen -W "--json --tcp --udp --sctp --ipv4 --ipv6 --port --pid --user --unexpected --sort --all-netns --format --expect --lang --db --no-color --help" -- "$cur")) ;;
	free)
		COMPREPLY=($(compgen -W "--count --near --range --no-machine --lang --json --db --store --no-color --help" -- "$cur")) ;;
	audit)
		COMPREPLY=($(compgen -W "--expect --claims --snapshot --all-netns --lang --json --db --store --help" -- "$cur")) ;;
	claim)
		if [ "$COMP_CWORD" -eq 2 ]; then
			COMPREPLY=($(compgen -W "add list show rm import export --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "--owner --contact --hosts --note --force --suggest --near --range --replace --json --db --store --help" -- "$cur"))
		fi ;;
	serve)
		COMPREPLY=($(compgen -W "--listen --public --db --votes --store --show-machine --hide-machine --trust-proxy --threads --user --vote-rate --max-connections --max-per-address --po --base-url --metrics-only --expect --help" -- "$cur")) ;;
	export)
		COMPREPLY=($(compgen -W "--lang --ports --base-url --threads --db --po --quiet --help" -- "$cur")) ;;
	feedback)
		COMPREPLY=($(compgen -W "--worst --json --db --votes --store --help" -- "$cur")) ;;
	check-data)
		COMPREPLY=($(compgen -W "--data --counts --json --help" -- "$cur")) ;;
	who)
		COMPREPLY=($(compgen -W "--tcp --udp --sctp --ipv4 --ipv6 --pid --user --all-netns --lang --json --db --no-color --help" -- "$cur")) ;;
	*)
		COMPREPLY=($(compgen -W "--json --db --store --lang --no-color --no-machine --help" -- "$cur")) ;;
	esac
}
complete -F _portolan portolan
