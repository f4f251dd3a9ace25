namespace MicroT.Evaluation;

/// <summary>
/// A problem the user can fix (a bad path, a data set with one class, images that do not fit
/// the model, a bad option). The commands print its message and exit non-zero, no stack trace.
/// </summary>
public sealed class EvaluationException : Exception
{
    public EvaluationException(string message) : base(message) { }
    public EvaluationException(string message, Exception inner) : base(message, inner) { }
}
