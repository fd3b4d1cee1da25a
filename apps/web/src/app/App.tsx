import { BrowserRouter } from 'react-router';
import { AppRoutes } from './routes.js';

export function App() {
  return (
    <BrowserRouter>
      <AppRoutes />
    </BrowserRouter>
  );
}
