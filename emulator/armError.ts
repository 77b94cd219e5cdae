// ARM error envelope (common-types v2 ErrorResponse) and the typed error the handlers throw.

export interface ArmErrorDetail {
  code: string;
  message: string;
  target?: string;
  details?: ArmErrorDetail[];
  additionalInfo?: { type: string; info: unknown }[];
}

export interface ArmErrorBody {
  error: ArmErrorDetail;
}

/** An error that maps one-to-one onto an ARM HTTP error response. */
export class ArmError extends Error {
  override readonly name = 'ArmError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly details?: ArmErrorDetail[],
  ) {
    super(message);
  }

  toResponse(): { status: number; headers: Record<string, string>; body: ArmErrorBody } {
    return { status: this.status, headers: { ...this.headers }, body: this.toBody() };
  }

  toBody(): ArmErrorBody {
    const error: ArmErrorDetail = { code: this.code, message: this.message };
    if (this.details) error.details = this.details;
    return { error };
  }
}

export function resourceNotFound(type: string, name: string, resourceGroup: string): ArmError {
  return new ArmError(
    404,
    'ResourceNotFound',
    `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. ` +
      'For more details please go to https://aka.ms/ARMResourceNotFoundFix',
  );
}

export function badRequest(code: string, message: string): ArmError {
  return new ArmError(400, code, message);
}
