import { internalTextIn } from './support';

describe('the fuzz oracle for internal text', () => {
  it('when a random token happens to spell a database name, then it is not taken for a leak', () => {
    expect(internalTextIn('{"token":"eyJhbGciOiJIUzI1NiJ9.eyJjb252IjoiQnZlNeDBjRHt5cy"}')).toBeUndefined();
  });

  it('when a body carries a stack frame or a database message, then it is a leak', () => {
    expect(internalTextIn('{"message":"TypeError: x is not a function"}')).toBe('TypeError');
    expect(internalTextIn('{"message":"nedb refused the document"}')).toBe('nedb');
  });
});
