import Hummingbird

/// Renders every error, including unmatched routes, in OpenAI's error shape, unless another API's
/// middleware already gave it that API's shape.
struct OpenAIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as any APIError {
            throw error
        } catch {
            throw OpenAIError(wrapping: error)
        }
    }
}
