namespace McpLambda.Runtime.Local;

/// <summary>A failure the Runtime API emulation plays once, as the real service may when it is overloaded or restarting.</summary>
internal enum RuntimeApiFault
{
    /// <summary>The next <c>next</c> is answered 500 (no invocation is handed over).</summary>
    NextAnswers500,

    /// <summary>The next <c>next</c> has its connection closed without an answer.</summary>
    NextClosesConnection,

    /// <summary>The next <c>/response</c> is refused with 413, as an oversized payload is.</summary>
    ResponseAnswers413,

    /// <summary>The next <c>/response</c> is refused with 500.</summary>
    ResponseAnswers500,
}
