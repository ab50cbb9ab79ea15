# bash completion for portolan.  Source it, or install as
# /usr/share/bash-completion/completions/portolan.
_portolan()
{
	local cur prev cmd
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=${COMP_WORDS[1]}
	local commands="lookup search update who listening ls audit free serve export feedback check-data help"

	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
		return
	fi
	case $prev in
	--db|--from|--save|--ca-file|--expect|--nmap-services|--etc-services|--votes)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--npm|--data|--po)
		COMPREPLY=($(compgen -d -- "$cur")); return ;;
	esac
	case $cmd in
	update)
		COMPREPLY=($(compgen -W "--from --npm --save --ca-file --nmap-services --etc-services --no-system --data --no-data --force --db --quiet --help" -- "$cur")) ;;
	search)
		COMPREPLY=($(compgen -W "--json --limit --db --no-color --help" -- "$cur")) ;;
	listening|ls)
		COMPREPLY=($(compgen -W "--json --tcp --udp --sctp --port --user --unexpected --sort --all-netns --db --no-color --help" -- "$cur")) ;;
	free)
		COMPREPLY=($(compgen -W "--count --near --range --no-machine --json --db --no-color --help" -- "$cur")) ;;
	audit)
		COMPREPLY=($(compgen -W "--expect --snapshot --all-netns --json --db --help" -- "$cur")) ;;
	serve)
		COMPREPLY=($(compgen -W "--listen --public --db --votes --show-machine --hide-machine --threads --user --vote-rate --max-connections --po --help" -- "$cur")) ;;
	export)
		COMPREPLY=($(compgen -W "--lang --ports --base-url --threads --db --po --quiet --help" -- "$cur")) ;;
	feedback)
		COMPREPLY=($(compgen -W "--worst --json --db --votes --help" -- "$cur")) ;;
	check-data)
		COMPREPLY=($(compgen -W "--data --counts --json --help" -- "$cur")) ;;
	who)
		COMPREPLY=($(compgen -W "--all-netns --json --db --no-color --help" -- "$cur")) ;;
	*)
		COMPREPLY=($(compgen -W "--json --db --lang --no-color --no-machine --help" -- "$cur")) ;;
	esac
}
complete -F _portolan portolan
