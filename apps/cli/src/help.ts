/** Help texts, worded for users of `docker build`. */

/** Help of `gantry` itself. */
export const MAIN_HELP = `Usage:  gantry COMMAND

Build container images from Dockerfiles on a Docker Engine.

Commands:
  build       Build an image from a Dockerfile
  cache       List, prune or count the layer cache
  parse       Print a Dockerfile's syntax and its problems
  version     Show the gantry version

Run 'gantry COMMAND --help' for more information on a command.
`;

/** Help of `gantry version`. */
export const VERSION_HELP = `Usage:  gantry version

Print the gantry and Node.js versions.
`;

/** Help of `gantry build`. */
export const BUILD_HELP = `Usage:  gantry build [OPTIONS] PATH | -

Build an image from a Dockerfile and the build context in the folder PATH.
With '-', standard input is the build context: a tar archive (plain or
gzip-compressed) with the Dockerfile inside, or a Dockerfile alone.

Options:
      --add-host list       Add a custom host-to-IP mapping (host:ip) to RUN
                            steps
      --build-arg list      Set a build-time variable (NAME=value, or NAME to
                            take the value from the environment)
      --cgroup-parent string
                            Parent cgroup of RUN steps
      --cpu-period int      CPU CFS period of RUN steps, in microseconds
      --cpu-quota int       CPU time per CFS period of RUN steps, in
                            microseconds ('-1' for no limit)
  -c, --cpu-shares int      CPU shares (relative weight) of RUN steps
      --cpuset-cpus string  CPUs in which RUN steps may run (0-3, 0,1)
      --cpuset-mems string  Memory nodes RUN steps may use (0-3, 0,1)
  -f, --file string         Name of the Dockerfile (default: 'PATH/Dockerfile',
                            or 'Dockerfile' inside a tar on standard input);
                            '-' reads it from standard input
      --force-rm            Remove the container of a failing step too
                            (default true, unless --rm=false is given;
                            --force-rm=false keeps it, as docker build does
                            by default)
      --iidfile string      Write the image ID to the file
      --isolation string    Container isolation technology; on Linux only
                            'default' is valid, and another value is rejected
      --label list          Set metadata for the image (key=value)
  -m, --memory bytes        Memory limit of RUN steps (512m, 2g)
      --memory-swap bytes   Memory plus swap limit of RUN steps; '-1' for
                            unlimited swap
      --network string      Network mode of RUN steps: default, host or none
                            (default "default"); another value is rejected
      --no-cache            Do not use the cache when building the image
      --platform string     Platform of base images to pull (linux/amd64); a
                            local base image is used whatever its platform
      --progress string     Output format: classic, plain, tty, auto, json,
                            engine-json or quiet (default "classic")
      --pull[=policy]       Pull base images: always, missing or never
                            (default "missing"; --pull alone or --pull=true
                            means always, --pull=false missing)
  -q, --quiet               Print only the image ID on success; on failure,
                            print the build's log and the error on stderr
      --rm                  Remove each step's container after its step
                            (default true; --rm=false keeps them all,
                            unless --force-rm is given)
      --security-opt list   Rejected unless empty: the engine on Linux takes
                            no security options for a build
      --shm-size bytes      Size of /dev/shm of RUN steps (64m)
  -t, --tag list            Name and optionally a tag in the 'name:tag' format
      --target string       Build the stage of this name and the stages it needs
      --ulimit ulimit       Resource limit of RUN steps (name=soft[:hard], such
                            as nofile=1024:2048; -1 for unlimited); repeatable
  -h, --help                Print this help

Exit codes: 0 built, 1 build failed, N a RUN exited N, 2 invalid command line,
130 interrupted (SIGINT), 143 terminated (SIGTERM), 129 hung up (SIGHUP).
`;

/** Help of `gantry parse`. */
export const PARSE_HELP = `Usage:  gantry parse [OPTIONS] FILE

Parse a Dockerfile ('-' reads standard input) and print its stages and
instructions. Problems go to standard error as FILE:LINE:COLUMN.

Options:
      --format string   json (default) or dump (BuildKit's S-expression dump)
  -h, --help            Print this help

Exit codes: 0 no errors, 1 the Dockerfile has errors, 2 invalid command line.
`;

/** Help of `gantry cache`. */
export const CACHE_HELP = `Usage:  gantry cache COMMAND

Manage gantry's layer cache ($XDG_CACHE_HOME/gantry or ~/.cache/gantry), one
store for every project, so that two checkouts share their cached steps.
Removing entries keeps the images; a later build misses those steps.

Commands:
  ls [--all]          List cache entries whose image is still on the engine;
                      --all also lists those whose image was removed,
                      marked <removed>
  prune [OPTIONS]     Remove entries:
        --all                 every entry
        --removed             those whose image was removed from the engine
        --max-age duration    last used longer ago, such as 24h or 7d
        --max-entries number  keep at most this many, least recently used out first
        --max-size bytes      keep the entries' recorded sizes at most this many
                              bytes in all (each entry counts its image's full size)
  stats               Count entries, and the bytes the cached images take on
                      the engine: what each image adds to its parent image,
                      each image counted once
`;
