import Type from 'typebox';
import { USERNAME } from '../auth/schemas.ts';

export const EditProfileForm = Type.Object({
  username: USERNAME,
  about_me: Type.Optional(
    Type.String({ maxLength: 140, errorMessage: 'Use at most 140 characters.' }),
  ),
});
