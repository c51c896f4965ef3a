export { Alert } from './alert.js';
export { Button, type ButtonProps } from './button.js';
export { Card } from './card.js';
export { Page } from './page.js';
export { Spinner } from './spinner.js';
export { TextField, type TextFieldProps } from './text-field.js';
