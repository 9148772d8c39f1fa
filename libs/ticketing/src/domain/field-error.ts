/** A validation failure naming the offending field (`steps.1.delaySeconds`); `message` starts with the field. */
export interface FieldError {
  field: string;
  message: string;
}
