/**
 * The one error type of the app. HTTP handlers turn it into `{error, message}` JSON with its status;
 * any other error becomes a 500 with a generic message (the details go to the log only).
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static badRequest(message: string, details?: unknown): AppError {
    return new AppError(400, 'bad_request', message, details);
  }
  static unauthorized(message = 'A valid Bearer token is required.'): AppError {
    return new AppError(401, 'unauthorized', message);
  }
  static forbidden(message = 'This token may not do that.'): AppError {
    return new AppError(403, 'forbidden', message);
  }
  static notFound(what: string): AppError {
    return new AppError(404, 'not_found', `${what} was not found.`);
  }
  static conflict(message: string, details?: unknown): AppError {
    return new AppError(409, 'conflict', message, details);
  }
  static tooLarge(limit: number): AppError {
    return new AppError(413, 'payload_too_large', `The request body is larger than ${limit} bytes.`);
  }
  static tooManyRequests(message = 'Too many requests; try again shortly.'): AppError {
    return new AppError(429, 'too_many_requests', message);
  }
  static unavailable(message: string): AppError {
    return new AppError(503, 'unavailable', message);
  }
}
