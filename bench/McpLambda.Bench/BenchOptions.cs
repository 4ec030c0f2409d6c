namespace McpLambda.Bench;

/// <summary>What to measure and how often; <c>--smoke</c> picks tiny counts.</summary>
internal sealed record BenchOptions
{
    /// <summary>The folder holding the published <c>bootstrap</c> and the <c>node_modules</c> beside it.</summary>
    public required string FunctionDirectory { get; init; }

    /// <summary>The same function built with <c>McpLambdaSecrets</c>, for the secret-reference rows (skipped when not given).</summary>
    public string? SecretsFunctionDirectory { get; init; }

    /// <summary>Run only the cold starts with and without secret references (<c>--only secrets</c>).</summary>
    public bool OnlySecrets { get; init; }

    /// <summary>The folder of the reference adapter: <c>drive.mjs</c> and its <c>node_modules</c>.</summary>
    public required string ReferenceDirectory { get; init; }

    /// <summary>The API Gateway REST proxy event used as the template of every request.</summary>
    public required string EventFile { get; init; }

    /// <summary>The folder whose <c>npx</c> stands in for the server in the "instant stub server" cold start.</summary>
    public required string StubDirectory { get; init; }

    public bool Smoke { get; init; }

    /// <summary>Run only the concurrency rows (<c>--only concurrency</c>), for iterating on them.</summary>
    public bool OnlyConcurrency { get; init; }

    public int FloorCount { get; init; } = 200;

    public int FloorWarmup { get; init; } = 20;

    public int OursWarmCount { get; init; } = 1000;

    public int OursWarmup { get; init; } = 50;

    public int PerInvocationCount { get; init; } = 20;

    public int ReferenceCount { get; init; } = 30;

    /// <summary>Requests of the reference with the server started as <c>node …/index.js stdio</c> (0 skips the row).</summary>
    public int ReferenceNodeCount { get; init; } = 10;

    public int ColdRuns { get; init; } = 5;

    /// <summary>Calls in flight at once in the concurrency rows (Lambda's <c>AWS_LAMBDA_MAX_CONCURRENCY</c> for ours).</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>Calls per concurrency run, after <see cref="ConcurrentWarmup"/> uncounted ones.</summary>
    public int ConcurrentCount { get; init; } = 4000;

    public int ConcurrentWarmup { get; init; } = 200;

    /// <summary>Runs of each concurrency row, alternating floor and ours; the median throughput is reported.</summary>
    public int ConcurrentRuns { get; init; } = 3;

    /// <summary>dynalite's command-line script, for the relay rows.</summary>
    public required string DynaliteCli { get; init; }

    /// <summary>Sampling answers timed per relay row.</summary>
    public int RelayCount { get; init; } = 30;

    /// <summary>Fresh clients timed per protocol revision, from connecting to their first tool result.</summary>
    public int ClientStartCount { get; init; } = 100;

    /// <summary>Whether only the fresh-client rows run (<c>--only clients</c>).</summary>
    public bool OnlyClients { get; init; }

    public static BenchOptions Parse(string[] args)
    {
        string? function = null, secretsFunction = null, reference = null, eventFile = null, stub = null, dynalite = null;
        var smoke = false;
        var onlyConcurrency = false;
        var onlySecrets = false;
        var onlyClients = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--function-dir": function = args[++i]; break;
                case "--secrets-function-dir": secretsFunction = args[++i]; break;
                case "--reference-dir": reference = args[++i]; break;
                case "--event": eventFile = args[++i]; break;
                case "--stub-dir": stub = args[++i]; break;
                case "--dynalite": dynalite = args[++i]; break;
                case "--smoke": smoke = true; break;
                case "--only" when i + 1 < args.Length && args[i + 1] == "concurrency": onlyConcurrency = true; i++; break;
                case "--only" when i + 1 < args.Length && args[i + 1] == "secrets": onlySecrets = true; i++; break;
                case "--only" when i + 1 < args.Length && args[i + 1] == "clients": onlyClients = true; i++; break;
                default: throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }

        var options = new BenchOptions
        {
            FunctionDirectory = Path.GetFullPath(function ?? throw new ArgumentException("--function-dir is required")),
            SecretsFunctionDirectory = secretsFunction is null ? null : Path.GetFullPath(secretsFunction),
            ReferenceDirectory = Path.GetFullPath(reference ?? throw new ArgumentException("--reference-dir is required")),
            EventFile = Path.GetFullPath(eventFile ?? throw new ArgumentException("--event is required")),
            StubDirectory = Path.GetFullPath(stub ?? throw new ArgumentException("--stub-dir is required")),
            DynaliteCli = Path.GetFullPath(dynalite ?? throw new ArgumentException("--dynalite is required")),
            Smoke = smoke,
            OnlyConcurrency = onlyConcurrency,
            OnlySecrets = onlySecrets,
            OnlyClients = onlyClients,
        };

        return smoke
            ? options with
            {
                FloorCount = 50,
                FloorWarmup = 10,
                OursWarmCount = 100,
                OursWarmup = 20,
                PerInvocationCount = 2,
                ReferenceCount = 2,
                ReferenceNodeCount = 0,
                ColdRuns = 1,
                ConcurrentCount = 200,
                ConcurrentWarmup = 40,
                ConcurrentRuns = 1,
                RelayCount = 3,
                ClientStartCount = 3,
            }
            : options;
    }
}
